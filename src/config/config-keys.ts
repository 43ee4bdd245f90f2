import { Kind, OptionalKind, type TSchema } from '@sinclair/typebox';
import { type ConfigAnnotations, ConfigSchema } from './config-schema.ts';

/** The leaf types the schema uses; each has one parser in parse-config-value.ts. */
export const LEAF_KINDS = ['string', 'integer', 'boolean', 'enum'] as const;
export type LeafKind = (typeof LEAF_KINDS)[number];

/** One settable leaf of the config schema with everything needed to read, check and document it. */
export interface ConfigKey extends ConfigAnnotations {
  /** Dotted path in the config object and JSON file, e.g. `http.port`. */
  path: string;
  segments: string[];
  /** Environment variable, e.g. `LOGSIFT_HTTP_PORT`. */
  env: string;
  kind: LeafKind;
  optional: boolean;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  values?: string[];
}

const ENV_PREFIX = 'LOGSIFT_';

/** Env var of a schema path: `export.s3.accessKeyId` → `LOGSIFT_EXPORT_S3_ACCESS_KEY_ID`. */
export function envNameOf(segments: string[]): string {
  return ENV_PREFIX + segments.map((s) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}

function leafKind(schema: TSchema): LeafKind {
  const kinds: Record<string, LeafKind> = { String: 'string', Integer: 'integer', Boolean: 'boolean', Union: 'enum' };
  const kind = kinds[String(schema[Kind])];
  if (kind === undefined) throw new Error(`config schema: unsupported leaf kind ${String(schema[Kind])}`);
  return kind;
}

function collect(schema: TSchema, segments: string[], out: ConfigKey[]): void {
  if (schema[Kind] === 'Object') {
    for (const [name, child] of Object.entries(schema.properties as Record<string, TSchema>)) collect(child, [...segments, name], out);
    return;
  }
  const kind = leafKind(schema);
  const s = schema as TSchema & Partial<ConfigKey> & { anyOf?: Array<{ const: string }> };
  out.push({
    path: segments.join('.'),
    segments,
    env: envNameOf(segments),
    kind,
    optional: schema[OptionalKind] === 'Optional',
    description: s.description ?? '',
    ...(s.secret === true ? { secret: true } : {}),
    ...(s.unit !== undefined ? { unit: s.unit } : {}),
    ...(s.hint !== undefined ? { hint: s.hint } : {}),
    ...(s.default !== undefined ? { default: s.default } : {}),
    ...(typeof s.minimum === 'number' ? { minimum: s.minimum } : {}),
    ...(typeof s.maximum === 'number' ? { maximum: s.maximum } : {}),
    ...(typeof s.minLength === 'number' ? { minLength: s.minLength } : {}),
    ...(typeof s.pattern === 'string' ? { pattern: s.pattern } : {}),
    ...(kind === 'enum' ? { values: (s.anyOf ?? []).map((v) => v.const) } : {}),
  });
}

/** Every leaf of ConfigSchema in declaration order. */
export const CONFIG_KEYS: readonly ConfigKey[] = (() => {
  const out: ConfigKey[] = [];
  collect(ConfigSchema, [], out);
  return out;
})();

/** Groups (non-leaf objects) of the schema, used to reject unknown keys in a config file. */
export const CONFIG_GROUPS: ReadonlySet<string> = new Set(
  CONFIG_KEYS.flatMap((k) => k.segments.slice(0, -1).map((_, i) => k.segments.slice(0, i + 1).join('.'))),
);
