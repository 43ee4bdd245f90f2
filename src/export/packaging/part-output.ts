/** A finished part: what the manifest lists. */
export interface WrittenPart {
  name: string;
  bytes: number;
  /** Hex SHA-256 of the part's bytes. */
  sha256: string;
}

/**
 * Where a part's bytes go. `write` resolves when the sink can take more (backpressure); the
 * caller must not call `write` again before the previous promise settled. `end` completes the part;
 * `abort` discards it.
 */
export interface PartOutput {
  write(chunk: Buffer): Promise<void>;
  end(): Promise<WrittenPart>;
  abort(): Promise<void>;
}

/** Opens the output for the part called `name` (already a safe file name). */
export type OpenPart = (name: string) => Promise<PartOutput>;

/** A part written to a local file: durable across a worker's death, so an export can resume. */
export interface FilePartOutput extends PartOutput {
  readonly path: string;
}
