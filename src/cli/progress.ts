import cliProgress from 'cli-progress';

export interface Progress {
  update(value: number, payload?: Record<string, unknown>): void;
  stop(): void;
}

/**
 * A progress bar on stderr when it is a terminal; silent otherwise so pipes and CI logs stay
 * clean (the final summary line is printed by the command either way).
 */
export function createProgress(label: string, total: number): Progress {
  if (process.stderr.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: total > 0 ? `${label} [{bar}] {percentage}% | {accepted} rows | {rejected} bad` : `${label} {value} bytes | {accepted} rows | {rejected} bad`,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total > 0 ? total : 1, 0, { accepted: 0, rejected: 0 });
  return { update: (value, payload) => bar.update(value, payload), stop: () => bar.stop() };
}
