import type { LoadedConfig } from '../config/load-config.js';
import type { CliIo } from '../io.js';
import { type Progress, type ProgressMode, createProgress, resolveMode } from '../progress/progress.js';

/** What every command gets: the process bindings and the (lazily loaded) `vlp.config.ts`. */
export interface CommandContext {
  readonly io: CliIo;
  config(): Promise<LoadedConfig>;
}

/** Options every command has. */
export interface CommonOptions {
  readonly json?: boolean;
  readonly progress: ProgressMode;
}

/** The progress display of a command under its `--progress` and `--json`. */
export function progressFor(ctx: CommandContext, command: string, options: CommonOptions): Progress {
  const mode = resolveMode(options.progress, ctx.io.stderr, ctx.io.env, options.json === true);
  return createProgress(mode, ctx.io.stderr, `vlp ${command}:`);
}

/** Prints `value` as one JSON document on stdout. */
export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
