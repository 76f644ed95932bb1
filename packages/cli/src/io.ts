/** Where a command writes and what it runs in. Only `bin.ts` binds these to the process. */
export interface CliIo {
  /** Machine or human output (with `--json`: exactly one JSON document, nothing else). */
  readonly stdout: (text: string) => void;
  /** Progress, warnings and errors. `isTTY` decides between bars and plain lines. */
  readonly stderr: NodeJS.WriteStream;
  /** Directory relative paths and `vlp.config.ts` are resolved against. */
  readonly cwd: string;
  /** Environment (`CI`, `NO_COLOR`, `VLP_BACKEND`, ...). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C: commands stop between units / batches and exit with 130. */
  readonly signal: AbortSignal;
}
