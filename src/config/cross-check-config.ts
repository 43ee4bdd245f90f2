import type { Config } from './config-schema.ts';
import { formatWithUnit } from './parse-config-value.ts';

/** A rule that involves several keys; `key` is the one the user should change. */
export interface CrossProblem {
  key: string;
  reason: string;
}

type Rule = (c: Config) => CrossProblem | undefined;

const RULES: Rule[] = [
  (c) => (c.export.storage === 's3' && c.export.s3.bucket === undefined
    ? { key: 'export.s3.bucket', reason: 'is required when export.storage is s3' }
    : undefined),
  (c) => ((c.export.s3.accessKeyId === undefined) !== (c.export.s3.secretAccessKey === undefined)
    ? { key: c.export.s3.accessKeyId === undefined ? 'export.s3.accessKeyId' : 'export.s3.secretAccessKey', reason: 'must be set together with the other S3 credential' }
    : undefined),
  // Several API servers and workers sign and check the same links, so a generated per-machine
  // secret would break downloads served by another process.
  (c) => (c.databaseUrl !== undefined && c.export.downloadSecret === undefined
    ? { key: 'export.downloadSecret', reason: 'is required with PostgreSQL (every server and worker must share it)' }
    : undefined),
  (c) => (c.jobs.heartbeatMs >= c.jobs.leaseMs
    ? { key: 'jobs.heartbeatMs', reason: `must be shorter than jobs.leaseMs (${formatWithUnit(c.jobs.leaseMs, 'ms')}), got ${formatWithUnit(c.jobs.heartbeatMs, 'ms')}` }
    : undefined),
];

/** Checks the rules that span keys; run only once every key is individually valid. */
export function crossCheckConfig(config: Config): CrossProblem[] {
  return RULES.map((rule) => rule(config)).filter((p): p is CrossProblem => p !== undefined);
}
