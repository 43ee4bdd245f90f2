import type { StorageConfig } from '../storage/create-object-storage.ts';
import type { Config } from './config-schema.ts';

type S3Options = Extract<StorageConfig, { type: 's3' }>['options'];

/** The export archive backend for `createObjectStorage`, from `export.storage` and its settings. */
export function storageConfigFromConfig(config: Pick<Config, 'export'>): StorageConfig {
  const e = config.export;
  if (e.storage === 'local') return { type: 'local', options: { root: e.localDir } };
  // loadConfig's cross-check guarantees the bucket when storage is s3.
  const options: S3Options = { region: e.s3.region, bucket: e.s3.bucket ?? '', forcePathStyle: e.s3.forcePathStyle };
  if (e.s3.endpoint !== undefined) options.endpoint = e.s3.endpoint;
  if (e.s3.publicEndpoint !== undefined) options.publicEndpoint = e.s3.publicEndpoint;
  if (e.s3.accessKeyId !== undefined && e.s3.secretAccessKey !== undefined) {
    options.accessKeyId = e.s3.accessKeyId;
    options.secretAccessKey = e.s3.secretAccessKey;
  }
  return { type: 's3', options };
}
