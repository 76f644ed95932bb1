import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../__tests__/helpers.js';
import type { CellResult } from '../results/schema.js';

/** The built CLI (turbo builds the package before its tests). */
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/bin.js');
const GRID = ['--suite', 'smoke', '--model-dir', fixture('clip-tiny'), '--pruners', 'random,magnitude,wanda', '--sparsities', '0.5,0.75', '--limit', '8', '--recovery-steps', '1', '--progress', 'plain'];

function start(args: string[]): { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout?.resume();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exit };
}

const results = (dir: string): CellResult[] => readFileSync(path.join(dir, 'results.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as CellResult);
const measured = (r: CellResult) => ({ status: r.status, metrics: r.metrics, sparsity: r.sparsity, params: r.params, flops: r.flops, recovery: r.recovery });

describe('a smoke run killed with SIGKILL and resumed', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('ends with exactly one line per cell and the metrics of an uninterrupted run', async () => {
    expect(existsSync(BIN), `${BIN} is missing: build the package first (pnpm --filter @vlp/bench build)`).toBe(true);
    const whole = path.join(tmp.dir, 'whole');
    const killed = path.join(tmp.dir, 'killed');

    const reference = start([...GRID, '--out', whole]);
    expect(await reference.exit, reference.stderr()).toBe(0);
    const expected = results(whole);
    expect(expected).toHaveLength(7); // dense + 3 pruners × 2 sparsities

    // Kill the second run in the middle of its third cell.
    const victim = start([...GRID, '--out', killed]);
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (/\[3\/7\] \S+ @/.test(victim.stderr())) {
          clearInterval(timer);
          setTimeout(() => {
            victim.child.kill('SIGKILL');
            resolve();
          }, 150);
        }
      }, 10);
      void victim.exit.then(() => {
        clearInterval(timer);
        reject(new Error(`the run ended before it could be killed:\n${victim.stderr()}`));
      });
    });
    await victim.exit.catch(() => undefined);
    const partial = results(killed);
    expect(partial.length).toBeGreaterThanOrEqual(2);
    expect(partial.length).toBeLessThan(7);
    expect(existsSync(path.join(killed, '.lock'))).toBe(true); // left behind by the killed process

    const resumed = start([...GRID, '--out', killed, '--resume']);
    expect(await resumed.exit, resumed.stderr()).toBe(0);
    expect(resumed.stderr()).toMatch(/Took over the stale lock/);
    expect(resumed.stderr()).toMatch(new RegExp(`7 cells \\(${partial.length} already finished\\)`));
    const final = results(killed);
    expect(final.map((r) => r.key)).toEqual(expected.map((r) => r.key));
    expect(new Set(final.map((r) => r.key)).size).toBe(7);
    expect(final.map(measured)).toEqual(expected.map(measured));
    // finished cells were not redone
    expect(final.slice(0, partial.length).map((r) => r.finishedAt)).toEqual(partial.map((r) => r.finishedAt));
    expect(JSON.parse(readFileSync(path.join(killed, 'run.json'), 'utf8')).status).toBe('complete');
    expect(existsSync(path.join(killed, '.lock'))).toBe(false);
  });
});
