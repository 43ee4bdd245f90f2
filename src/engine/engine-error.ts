/** Stable codes the engine can raise; the edges map them onto the product's AppError codes of the same name. */
export const ENGINE_ERROR_CODES = ['BAD_PATTERN_CONFIG', 'BAD_MODEL_FILE'] as const;
export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

/**
 * The engine's own error: it may not import src/shared (it must run in a browser on its own),
 * so it carries a stable `code` string and optional safe `details` instead.
 */
export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: EngineErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.details = details;
  }
}

/** Narrows an unknown thrown value to an EngineError. */
export function isEngineError(err: unknown): err is EngineError {
  return err instanceof EngineError;
}
