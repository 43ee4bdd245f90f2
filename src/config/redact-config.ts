import { CONFIG_KEYS } from './config-keys.ts';
import type { Config } from './config-schema.ts';

/** A copy of the config safe to log or print: secret leaves become `'<hidden>'`. */
export function redactConfig(config: Config): Record<string, unknown> {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  for (const key of CONFIG_KEYS) {
    if (key.secret !== true) continue;
    let node: Record<string, unknown> | undefined = copy;
    for (const seg of key.segments.slice(0, -1)) node = node?.[seg] as Record<string, unknown> | undefined;
    const last = key.segments[key.segments.length - 1] as string;
    if (node !== undefined && node[last] !== undefined) node[last] = '<hidden>';
  }
  return copy;
}
