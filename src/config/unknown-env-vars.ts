import { CONFIG_KEYS } from './config-keys.ts';

/** `LOGSIFT_*` variables that are read elsewhere, not settings of the schema. */
const NON_SETTINGS = new Set(['LOGSIFT_CONFIG', 'LOGSIFT_DEBUG']);

/**
 * `LOGSIFT_*` env vars that match no setting — almost always typos (`LOGSIFT_HTTP_PROT`). Not an
 * error, because tools and tests set their own variables; callers log them as warnings.
 */
export function unknownEnvVars(env: Record<string, string | undefined>): string[] {
  const known = new Set(CONFIG_KEYS.map((k) => k.env));
  return Object.keys(env).filter((name) => name.startsWith('LOGSIFT_') && !known.has(name) && !NON_SETTINGS.has(name)).sort();
}
