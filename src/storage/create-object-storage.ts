import { LocalObjectStorage, type LocalObjectStorageOptions } from './local/local-object-storage.ts';
import type { ObjectStorage, StorageType } from './object-storage.ts';
import { S3ObjectStorage, type S3ObjectStorageOptions } from './s3/s3-object-storage.ts';

/** The options each storage type takes. */
export interface StorageOptionsByType {
  local: LocalObjectStorageOptions;
  s3: S3ObjectStorageOptions;
}

/** A storage configuration: the type (bk-log's `storage_type`) and that type's options. */
export type StorageConfig = { [K in StorageType]: { type: K; options: StorageOptionsByType[K] } }[StorageType];

/** One factory per storage type; adding a type to `STORAGE_TYPES` without a factory is a type error. */
export const OBJECT_STORAGE_FACTORIES: { [K in StorageType]: (options: StorageOptionsByType[K]) => ObjectStorage } = {
  local: (options) => new LocalObjectStorage(options),
  s3: (options) => new S3ObjectStorage(options),
};

/** Builds the configured backend. Config errors are `AppError('BAD_CONFIG')`. */
export function createObjectStorage(config: StorageConfig): ObjectStorage {
  const factory = OBJECT_STORAGE_FACTORIES[config.type] as (options: StorageConfig['options']) => ObjectStorage;
  return factory(config.options);
}
