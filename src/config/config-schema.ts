import { type Static, Type } from '@sinclair/typebox';

/**
 * Extra annotations on leaves of the config schema. `secret` hides the value in errors, tables and
 * logs; `unit: 'ms'` lets the value be written as a duration (`30s`, `5m`, `24h`); `hint` replaces
 * the generic reason when a string does not match `pattern`.
 */
export interface ConfigAnnotations {
  description: string;
  secret?: boolean;
  unit?: 'ms' | 'bytes';
  hint?: string;
}

const HOUR = 3_600_000;

const str = (a: ConfigAnnotations & { default?: string; pattern?: string; minLength?: number }) =>
  Type.String({ minLength: 1, ...a });
const int = (min: number, max: number, a: ConfigAnnotations & { default?: number }) =>
  Type.Integer({ minimum: min, maximum: max, ...a });
const bool = (a: ConfigAnnotations & { default: boolean }) => Type.Boolean(a);
const oneOf = <const T extends readonly string[]>(values: T, a: ConfigAnnotations & { default: T[number] }) =>
  Type.Union(values.map((v) => Type.Literal(v as T[number])), a);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const EXPORT_STORAGE_KINDS = ['local', 's3'] as const;

/**
 * The one configuration schema of logsift. Every leaf maps to an environment variable named
 * `LOGSIFT_` + its path in SCREAMING_SNAKE_CASE (`http.port` → `LOGSIFT_HTTP_PORT`), so the env
 * table, the JSON file shape and the TypeScript type cannot drift apart.
 */
export const ConfigSchema = Type.Object(
  {
    dataDir: str({ default: './.data', description: 'Folder of the embedded store: the SQLite file `logsift.db`, generated secrets, local exports.' }),
    databaseUrl: Type.Optional(
      str({
        pattern: '^postgres(ql)?://',
        hint: 'must be a postgres:// or postgresql:// URL',
        secret: true,
        description: 'When set, use this PostgreSQL database instead of the embedded SQLite file.',
      }),
    ),
    databasePoolSize: int(1, 1000, { default: 10, description: 'PostgreSQL connections per process.' }),
    http: Type.Object({
      host: str({ default: '127.0.0.1', description: 'Address the API listens on.' }),
      port: int(1, 65535, { default: 8080, description: 'Port the API listens on.' }),
      bodyLimit: int(1024, 1 << 30, { default: 16 << 20, unit: 'bytes', description: 'Largest accepted request body (ingest batches).' }),
    }),
    publicUrl: Type.Optional(
      str({
        pattern: '^https?://[^\\s/]+',
        hint: 'must be an http:// or https:// URL',
        description: 'Base URL users reach the service at (login and download links). Default: http://<http.host>:<http.port>.',
      }),
    ),
    logLevel: oneOf(LOG_LEVELS, { default: 'info', description: 'pino log level.' }),
    worker: Type.Object({
      concurrency: int(1, 256, { default: 2, description: 'Jobs one worker process runs at the same time.' }),
      inProcess: bool({ default: true, description: '`serve` also runs workers in the same process (embedded default).' }),
    }),
    jobs: Type.Object({
      leaseMs: int(1000, 24 * HOUR, { default: 60_000, unit: 'ms', description: 'How long a claimed job stays leased without a heartbeat before it is re-delivered.' }),
      heartbeatMs: int(100, HOUR, { default: 15_000, unit: 'ms', description: 'How often a running job renews its lease.' }),
      pollIntervalMs: int(50, HOUR, { default: 1000, unit: 'ms', description: 'How often an idle worker looks for new jobs.' }),
      maxAttempts: int(1, 100, { default: 3, description: 'Default attempts per job before it fails for good.' }),
      shutdownGraceMs: int(0, HOUR, { default: 30_000, unit: 'ms', description: 'How long a stopping worker waits for running jobs.' }),
    }),
    export: Type.Object({
      storage: oneOf(EXPORT_STORAGE_KINDS, { default: 'local', description: 'Where export archives are written.' }),
      localDir: Type.Optional(str({ description: 'Folder for local export archives. Default: <dataDir>/exports.' })),
      s3: Type.Object({
        endpoint: Type.Optional(str({ pattern: '^https?://', hint: 'must be an http:// or https:// URL', description: 'S3-compatible endpoint; empty means AWS.' })),
        publicEndpoint: Type.Optional(str({ pattern: '^https?://', hint: 'must be an http:// or https:// URL', description: 'Host browsers download from when it differs from the endpoint (presigned URLs are signed for it).' })),
        bucket: Type.Optional(str({ description: 'Bucket for export archives (required when storage is s3).' })),
        region: str({ default: 'us-east-1', description: 'S3 region.' }),
        accessKeyId: Type.Optional(str({ secret: true, description: 'S3 access key id; empty means the default AWS credential chain.' })),
        secretAccessKey: Type.Optional(str({ secret: true, description: 'S3 secret access key.' })),
        forcePathStyle: bool({ default: true, description: 'Path-style bucket URLs (needed by most non-AWS S3 servers).' }),
      }),
      smtp: Type.Object({
        url: Type.Optional(str({ pattern: '^smtps?://', hint: 'must be an smtp:// or smtps:// URL', secret: true, description: 'SMTP server for export mails; unset disables mail.' })),
        from: str({ default: 'logsift@localhost', description: 'Sender address of export mails.' }),
      }),
      linkLifetimeMs: int(60_000, 365 * 24 * HOUR, { default: 24 * HOUR, unit: 'ms', description: 'How long a download link stays valid.' }),
      perUserRunningLimit: int(1, 1000, { default: 3, description: 'Exports one user may have running at the same time.' }),
      gzipLevel: int(1, 9, {
        default: 1,
        description: 'gzip level of export archives: 1 is the fastest (about 10 % larger than 4 on log text, at twice the speed), 9 the smallest.',
      }),
      downloadSecret: Type.Optional(
        str({
          minLength: 32,
          secret: true,
          description: 'HMAC secret for download links. Embedded mode generates and keeps one in <dataDir>; required with PostgreSQL.',
        }),
      ),
    }),
    clustering: Type.Object({
      enabled: bool({ default: true, description: 'Run online log clustering (patterns).' }),
      concurrency: int(1, 64, { default: 1, description: 'Clustering jobs run at the same time per worker.' }),
    }),
  },
  { additionalProperties: false },
);

type RawConfig = Static<typeof ConfigSchema>;

/**
 * The validated configuration. Paths are absolute; `publicUrl` and `export.downloadSecret`
 * are always resolved by `loadConfig`.
 */
export type Config = Omit<RawConfig, 'publicUrl' | 'export'> & {
  publicUrl: string;
  export: Omit<RawConfig['export'], 'downloadSecret' | 'localDir'> & { downloadSecret: string; localDir: string };
};

/** Partial config used for the file layer and explicit overrides (CLI flags). */
export type ConfigOverrides = {
  [K in keyof RawConfig]?: RawConfig[K] extends Record<string, unknown> ? DeepPartial<RawConfig[K]> : RawConfig[K] | string;
};
type DeepPartial<T> = { [K in keyof T]?: T[K] extends Record<string, unknown> ? DeepPartial<T[K]> : T[K] | string };
