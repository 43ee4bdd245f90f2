import { AppError } from '../../shared/app-error.ts';
import { BUILTIN_FIELDS, type FieldType, type IndexSet } from '../index-set.ts';

/** Where a user-visible field lives: a real column, or a key of the `fields` JSON. */
export type FieldLocation =
  | { kind: 'column'; column: 'id' | 'ts' | 'ingested_at' | 'message' }
  | { kind: 'json'; key: string };

export interface ResolvedField {
  /** The name as the user wrote it. */
  name: string;
  type: FieldType;
  location: FieldLocation;
  /** JSON fields may be missing on a row; columns never are. */
  nullable: boolean;
}

const NUMERIC_TYPES: ReadonlySet<FieldType> = new Set(['long', 'double', 'date']);

/** Numbers compare numerically; everything else compares as text (or boolean). */
export function isNumericField(field: ResolvedField): boolean {
  return NUMERIC_TYPES.has(field.type);
}

/**
 * Maps a field name from a query, filter or sort onto storage. The time field, the message
 * field, the built-ins (`id`, `ingestedAt`) and the declared fields are known; anything else is
 * UNKNOWN_FIELD, so typos fail loudly instead of silently matching nothing.
 */
export function resolveField(indexSet: IndexSet, name: string): ResolvedField {
  if (name === indexSet.timeField) return { name, type: 'date', location: { kind: 'column', column: 'ts' }, nullable: false };
  if (name === indexSet.messageField) {
    return { name, type: 'text', location: { kind: 'column', column: 'message' }, nullable: false };
  }
  if (name === 'id') return { name, type: BUILTIN_FIELDS.id, location: { kind: 'column', column: 'id' }, nullable: false };
  if (name === 'ingestedAt') {
    return { name, type: BUILTIN_FIELDS.ingestedAt, location: { kind: 'column', column: 'ingested_at' }, nullable: false };
  }
  const declared = indexSet.fields.find((f) => f.name === name);
  if (declared === undefined) {
    throw new AppError('UNKNOWN_FIELD', `Field "${name}" is not defined on index set ${indexSet.id}`, {
      details: { field: name, indexSetId: indexSet.id },
    });
  }
  return { name, type: declared.type, location: { kind: 'json', key: name }, nullable: true };
}

/** The message column as a field, target of free text. */
export function messageField(indexSet: IndexSet): ResolvedField {
  return resolveField(indexSet, indexSet.messageField);
}
