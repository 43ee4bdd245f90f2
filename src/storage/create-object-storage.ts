import { LocalObjectStorage, type LocalObjectStorageOptions } from './local/local-object-storage.ts';
import type { ObjectStorage, StorageType } from './object-storage.ts';
import type { S3ObjectStorageOptions } from './s3/s3-object-storage.ts';

/** The options each storage type takes. */
export interface StorageOptionsByType {
  local: LocalObjectStorageOptions;
  s3: S3ObjectStorageOptions;
}

/** A storage configuration: the type (bk-log's `storage_type`) and that type's options. */
export type StorageConfig = { [K in StorageType]: { type: K; options: StorageOptionsByType[K] } }[StorageType];

/**
 * One factory per storage type; adding a type to `STORAGE_TYPES` without a factory is a type error.
 * A factory loads its SDK when called, so a process loads only the backend it uses (the AWS SDK
 * alone is ~20 MB of memory).
 */
export const OBJECT_STORAGE_FACTORIES: { [K in StorageType]: (options: StorageOptionsByType[K]) => Promise<ObjectStorage> } = {
  local: async (options) => new LocalObjectStorage(options),
  s3: async (options) => new (await import('./s3/s3-object-storage.ts')).S3ObjectStorage(options),
};

/** Builds the configured backend. Config errors are `AppError('BAD_CONFIG')`. */
export async function createObjectStorage(config: StorageConfig): Promise<ObjectStorage> {
  const factory = OBJECT_STORAGE_FACTORIES[config.type] as (options: StorageConfig['options']) => Promise<ObjectStorage>;
  return factory(config.options);
}
