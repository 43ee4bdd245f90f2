import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../shared/app-error.ts';

/** File in the data dir holding secrets generated for the embedded mode. */
export const SECRETS_FILE = 'secrets.json';

/**
 * Returns the secret `name` from `<dataDir>/secrets.json`, generating 32 random bytes the first
 * time. The file is created with `wx` so two processes starting on a fresh folder agree on one
 * value, and with mode 0600 because it signs download links.
 */
export function loadOrCreateSecret(dataDir: string, name: string, persist: boolean): string {
  const fresh = randomBytes(32).toString('base64url');
  if (!persist) return fresh;
  const file = join(dataDir, SECRETS_FILE);
  const existing = readSecrets(file);
  const known = existing?.[name];
  if (typeof known === 'string' && known.length >= 32) return known;
  mkdirSync(dataDir, { recursive: true });
  if (existing === undefined) {
    try {
      writeFileSync(file, `${JSON.stringify({ [name]: fresh }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      return fresh;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw secretError(file, err);
      return loadOrCreateSecret(dataDir, name, persist);
    }
  }
  writeFileSync(file, `${JSON.stringify({ ...existing, [name]: fresh }, null, 2)}\n`, { mode: 0o600 });
  return fresh;
}

function readSecrets(file: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw secretError(file, err);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new AppError('BAD_CONFIG', `${file} is not a JSON object; fix or delete it (download links signed with the old secret stop working)`);
}

function secretError(file: string, cause: unknown): AppError {
  return new AppError('BAD_CONFIG', `cannot read or write ${file}: ${(cause as Error).message}`, { cause });
}
