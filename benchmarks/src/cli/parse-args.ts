import { usageError } from '../errors/bench-errors.js';
import { parseShard, type Shard } from '../grid/shard.js';

/** How progress is shown on stderr. */
export type ProgressMode = 'auto' | 'bar' | 'plain' | 'none';

/** Options of `bench run`. */
export interface RunArgs {
  readonly command: 'run';
  readonly suite: string;
  readonly pruners?: readonly string[] | 'installed';
  readonly sparsities?: readonly number[];
  readonly compressions?: readonly number[];
  readonly seeds?: readonly number[];
  readonly limit?: number;
  readonly recoverySteps?: number;
  readonly modelDirs: readonly string[];
  readonly dataDir?: string;
  readonly out?: string;
  readonly resume: boolean;
  readonly shard?: Shard;
  readonly progress: ProgressMode;
  readonly json: boolean;
}

/** A parsed command line. */
export type BenchArgs =
  | RunArgs
  | { readonly command: 'merge'; readonly out: string; readonly shards: readonly string[]; readonly json: boolean; readonly progress: ProgressMode }
  | { readonly command: 'report'; readonly dir: string }
  | { readonly command: 'list'; readonly json: boolean }
  | { readonly command: 'help' };

const VALUE_FLAGS = ['--suite', '--pruners', '--sparsities', '--compressions', '--seeds', '--limit', '--recovery-steps', '--model-dir', '--data-dir', '--out', '--shard', '--progress'];
const BOOLEAN_FLAGS = ['--resume', '--json', '--help', '-h'];

function numbers(flag: string, text: string, integer: boolean): number[] {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const values = parts.map(Number);
  if (parts.length === 0 || values.some((v) => !Number.isFinite(v) || (integer && !Number.isSafeInteger(v)))) {
    throw usageError(`${flag} takes a comma-separated list of ${integer ? 'integers' : 'numbers'} (got "${text}").`);
  }
  return values;
}

function count(flag: string, text: string, min: number): number {
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v < min) throw usageError(`${flag} takes an integer ≥ ${min} (got "${text}").`);
  return v;
}

/**
 * Parses the arguments of `pnpm bench` (`--flag value` or `--flag=value`; the `--` pnpm passes
 * through is ignored). Unknown flags, missing values and bad numbers throw `BenchUsageError`.
 */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const positional: string[] = [];
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') continue;
    if (!arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (BOOLEAN_FLAGS.includes(name)) {
      if (eq > 0) throw usageError(`${name} takes no value.`);
      flags.add(name);
    } else if (VALUE_FLAGS.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw usageError(`${name} needs a value.`);
      values.set(name, [...(values.get(name) ?? []), value]);
    } else {
      throw usageError(`Unknown option "${arg}".`);
    }
  }
  if (flags.has('--help') || flags.has('-h')) return { command: 'help' };
  const one = (flag: string) => {
    const v = values.get(flag);
    if (v && v.length > 1) throw usageError(`${flag} was given ${v.length} times; give it once.`);
    return v?.[0];
  };
  const progress = (one('--progress') ?? 'auto') as ProgressMode;
  if (!['auto', 'bar', 'plain', 'none'].includes(progress)) throw usageError(`--progress takes auto, bar, plain or none (got "${progress}").`);
  const json = flags.has('--json');
  const [command = 'run', ...rest] = positional;
  const onlyFlags = (allowed: string[]) => {
    for (const f of [...values.keys(), ...flags]) if (!allowed.includes(f)) throw usageError(`${f} does not apply to "bench ${command}".`);
  };
  if (command === 'merge') {
    onlyFlags(['--json', '--progress']);
    const [out, ...shards] = rest;
    if (!out || shards.length === 0) throw usageError('bench merge needs an output directory and at least one shard directory: bench merge <out> <shard-dir>...');
    return { command: 'merge', out, shards, json, progress };
  }
  if (command === 'report') {
    onlyFlags([]);
    if (rest.length !== 1) throw usageError('bench report needs exactly one run directory: bench report <run-dir>');
    return { command: 'report', dir: rest[0] as string };
  }
  if (command === 'list') {
    onlyFlags(['--json']);
    if (rest.length > 0) throw usageError(`bench list takes no arguments (got "${rest.join(' ')}").`);
    return { command: 'list', json };
  }
  if (command !== 'run') throw usageError(`Unknown command "${command}"; commands: run, merge, report, list.`);
  if (rest.length > 0) throw usageError(`Unexpected argument "${rest[0]}" (a suite is chosen with --suite <id>).`);
  const prunersText = one('--pruners');
  const pruners = prunersText === undefined ? undefined : prunersText.trim() === 'installed' ? ('installed' as const) : prunersText.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (Array.isArray(pruners) && pruners.length === 0) throw usageError('--pruners needs at least one pruner id.');
  const text = (flag: string) => one(flag);
  return {
    command: 'run',
    suite: text('--suite') ?? 'default',
    pruners,
    sparsities: text('--sparsities') === undefined ? undefined : numbers('--sparsities', text('--sparsities') as string, false),
    compressions: text('--compressions') === undefined ? undefined : numbers('--compressions', text('--compressions') as string, false),
    seeds: text('--seeds') === undefined ? undefined : numbers('--seeds', text('--seeds') as string, true),
    limit: text('--limit') === undefined ? undefined : count('--limit', text('--limit') as string, 1),
    recoverySteps: text('--recovery-steps') === undefined ? undefined : count('--recovery-steps', text('--recovery-steps') as string, 0),
    modelDirs: (values.get('--model-dir') ?? []).flatMap((v) => v.split(',')).filter((v) => v !== ''),
    dataDir: text('--data-dir'),
    out: text('--out'),
    resume: flags.has('--resume'),
    shard: text('--shard') === undefined ? undefined : parseShard(text('--shard') as string),
    progress,
    json,
  };
}
