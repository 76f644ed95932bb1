import cliProgress from 'cli-progress';
import { usageError } from '../errors.js';

/** How progress is shown on stderr. */
export type ProgressMode = 'auto' | 'bar' | 'plain' | 'none';
export const PROGRESS_MODES: readonly ProgressMode[] = ['auto', 'bar', 'plain', 'none'];

/**
 * Progress on stderr, driven by the commands from library events. Libraries never print; this is
 * the only place that draws bars.
 */
export interface Progress {
  /** A new phase (`calibrate`, `score units`, `evaluate zero-shot`, ...), with its step count when known. */
  phase(label: string, total?: number): void;
  /** `done` of the current phase's steps. */
  step(done: number, total?: number): void;
  /** A line that must be seen (warnings). */
  note(line: string): void;
  stop(): void;
}

/** Parses `--progress`; a bad value is a usage error. */
export function parseProgressMode(value: string): ProgressMode {
  if (!PROGRESS_MODES.includes(value as ProgressMode)) throw usageError(`--progress takes ${PROGRESS_MODES.join(', ')} (got "${value}").`);
  return value as ProgressMode;
}

/** Bars when `bar`, or `auto` on a TTY outside CI; plain lines for `plain` or `auto` elsewhere; nothing for `none`. */
export function resolveMode(mode: ProgressMode, stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>, json = false): 'bar' | 'plain' | 'none' {
  if (mode === 'auto') return json ? 'none' : stream.isTTY === true && !env.CI ? 'bar' : 'plain';
  return mode;
}

function barProgress(stream: NodeJS.WriteStream, prefix: string): Progress {
  let bar: cliProgress.SingleBar | undefined;
  let label = '';
  const end = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    phase(next, total) {
      end();
      label = next;
      bar = new cliProgress.SingleBar(
        { stream, format: `${prefix} {label} [{bar}] {value}/{total} {duration_formatted}`, hideCursor: false, clearOnComplete: false, etaBuffer: 20, barsize: 24, noTTYOutput: true, notTTYSchedule: 1000 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total ?? 1, 0, { label });
    },
    step(done, total) {
      if (!bar) this.phase(label || 'working', total);
      if (total !== undefined) bar?.setTotal(total);
      bar?.update(done, { label });
    },
    note(line) {
      end();
      stream.write(`${prefix} ${line}\n`);
    },
    stop: end,
  };
}

function plainProgress(write: (line: string) => void, prefix: string, intervalMs = 1000): Progress {
  let label = '';
  let last = 0;
  let lastTotal: number | undefined;
  return {
    phase(next, total) {
      label = next;
      lastTotal = total;
      last = Date.now();
      write(`${prefix} ${label}${total !== undefined ? ` (${total} steps)` : ''}`);
    },
    step(done, total) {
      const t = total ?? lastTotal;
      const now = Date.now();
      if (now - last < intervalMs && done !== t) return;
      last = now;
      write(`${prefix} ${label} ${done}${t !== undefined ? `/${t}` : ''}`);
    },
    note: (line) => write(`${prefix} ${line}`),
    stop: () => undefined,
  };
}

const NONE: Progress = { phase: () => undefined, step: () => undefined, note: () => undefined, stop: () => undefined };

/** The progress display of one command (`prefix` is e.g. `vlp prune:`). */
export function createProgress(mode: 'bar' | 'plain' | 'none', stream: NodeJS.WriteStream, prefix: string): Progress {
  if (mode === 'none') return NONE;
  if (mode === 'bar') return barProgress(stream, prefix);
  return plainProgress((line) => stream.write(`${line}\n`), prefix);
}
