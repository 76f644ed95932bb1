import { describe, expect, it } from 'vitest';
import { BenchUsageError } from '../errors/bench-errors.js';
import { parseArgs } from './parse-args.js';

describe('parseArgs', () => {
  it('defaults to `run` of the default suite and ignores the -- pnpm passes through', () => {
    expect(parseArgs(['--'])).toMatchObject({ command: 'run', suite: 'default', resume: false, modelDirs: [], progress: 'auto', json: false });
  });

  it('reads every run flag, as --flag value or --flag=value', () => {
    const args = parseArgs([
      'run', '--suite', 'smoke', '--pruners=wanda,magnitude', '--sparsities', '0.5,0.75', '--compressions', '2', '--seeds', '0,1',
      '--limit', '16', '--recovery-steps', '0', '--model-dir', 'a', '--model-dir', 'b,c', '--data-dir', 'd', '--out', 'o',
      '--resume', '--shard', '2/4', '--progress', 'plain', '--json',
    ]);
    expect(args).toEqual({
      command: 'run', suite: 'smoke', pruners: ['wanda', 'magnitude'], sparsities: [0.5, 0.75], compressions: [2], seeds: [0, 1],
      limit: 16, recoverySteps: 0, modelDirs: ['a', 'b', 'c'], dataDir: 'd', out: 'o', resume: true, shard: { index: 2, count: 4 },
      progress: 'plain', json: true,
    });
    expect(parseArgs(['--pruners', 'installed'])).toMatchObject({ pruners: 'installed' });
  });

  it('parses merge, report, list and help', () => {
    expect(parseArgs(['merge', 'out', 's1', 's2'])).toEqual({ command: 'merge', out: 'out', shards: ['s1', 's2'], json: false, progress: 'auto' });
    expect(parseArgs(['report', 'dir'])).toEqual({ command: 'report', dir: 'dir' });
    expect(parseArgs(['list', '--json'])).toEqual({ command: 'list', json: true });
    expect(parseArgs(['--suite', 'x', '-h'])).toEqual({ command: 'help' });
  });

  it('rejects bad command lines with a BenchUsageError that says what is wrong', () => {
    const cases: [string[], RegExp][] = [
      [['--fast'], /Unknown option "--fast"/],
      [['--suite'], /--suite needs a value/],
      [['--sparsities', '0.5,x'], /--sparsities takes a comma-separated list of numbers/],
      [['--seeds', '0.5'], /--seeds takes a comma-separated list of integers/],
      [['--limit', '0'], /--limit takes an integer ≥ 1/],
      [['--shard', '3/2'], /--shard takes i\/n/],
      [['--progress', 'fancy'], /--progress takes auto, bar, plain or none/],
      [['--suite', 'a', '--suite', 'b'], /--suite was given 2 times/],
      [['merge', 'out'], /at least one shard directory/],
      [['merge', 'o', 's', '--suite', 'x'], /--suite does not apply to "bench merge"/],
      [['frobnicate'], /Unknown command "frobnicate"/],
      [['run', 'smoke'], /Unexpected argument "smoke"/],
      [['--resume=yes'], /--resume takes no value/],
    ];
    for (const [argv, message] of cases) {
      let error: unknown;
      try {
        parseArgs(argv);
      } catch (e) {
        error = e;
      }
      expect(BenchUsageError.isInstance(error), argv.join(' ')).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });
});
