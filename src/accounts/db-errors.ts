/** Constraint violations, recognised the same way for better-sqlite3 and pg errors. */
export const CONSTRAINT_KINDS = ['unique', 'foreignKey'] as const;
export type ConstraintKind = (typeof CONSTRAINT_KINDS)[number];

const CODES: Record<ConstraintKind, { sqlite: string[]; postgres: string }> = {
  unique: { sqlite: ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'], postgres: '23505' },
  foreignKey: { sqlite: ['SQLITE_CONSTRAINT_FOREIGNKEY'], postgres: '23503' },
};

/** True when `err` is a database constraint violation of `kind`. */
export function isConstraintViolation(err: unknown, kind: ConstraintKind): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (CODES[kind].sqlite.includes(code) || CODES[kind].postgres === code);
}
