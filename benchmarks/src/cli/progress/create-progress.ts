import type { BenchEvent } from '../../run/events.js';
import type { ProgressMode } from '../parse-args.js';
import { barProgress } from './bar-progress.js';
import { plainProgress } from './plain-progress.js';

/**
 * The progress display on stderr: bars when `mode` is `bar`, or `auto` on a TTY outside CI; plain
 * lines when `plain` or `auto` elsewhere; nothing with `none`.
 */
export function createProgress(mode: ProgressMode, stream: NodeJS.WriteStream = process.stderr, env = process.env): { onEvent: (event: BenchEvent) => void; stop: () => void } {
  const bars = mode === 'bar' || (mode === 'auto' && stream.isTTY === true && !env.CI);
  if (mode === 'none') return { onEvent: () => undefined, stop: () => undefined };
  if (bars) return barProgress(stream);
  return { onEvent: plainProgress((line) => stream.write(`${line}\n`)), stop: () => undefined };
}
