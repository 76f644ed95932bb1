import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { main } from '../main.js';

/** packages/cli */
export const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const repoRoot = path.resolve(packageDir, '../..');
/** The HF fixtures beside the repository checkout (as on CI). */
export const fixturesDir = path.resolve(repoRoot, '../shared/fixtures/hf');
export const clipTiny = path.join(fixturesDir, 'clip-tiny');
export const exampleDir = path.join(repoRoot, 'examples/third-party-pruner');
export const binPath = path.join(packageDir, 'dist/bin.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `vlp` in this process (fast; for everything but exit-code plumbing and signals). */
export async function runCli(argv: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const stream = { write: (s: string) => ((stderr += s), true), isTTY: false } as unknown as NodeJS.WriteStream;
  const code = await main(argv, {
    stdout: (s) => (stdout += s),
    stderr: stream,
    cwd: options.cwd ?? os.tmpdir(),
    env: { ...options.env },
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

/** Runs the built `vlp` binary (`dist/bin.js`) as a child process. */
export function spawnCli(argv: readonly string[], options: { cwd?: string; env?: Record<string, string>; onStderr?: (text: string, kill: (signal: NodeJS.Signals) => void) => void } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...argv], { cwd: options.cwd ?? os.tmpdir(), env: { ...process.env, CI: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      options.onStderr?.(stderr, (s) => child.kill(s));
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** A fresh temporary directory, removed after the test file. */
export function tempDir(prefix = 'vlp-cli-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of clip-tiny whose model.safetensors is cut off after 100 bytes. */
export function corruptClipTiny(into: string): string {
  const dir = path.join(into, 'clip-tiny-corrupt');
  cpSync(clipTiny, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}reference`) });
  truncateSync(path.join(dir, 'model.safetensors'), 100);
  return dir;
}

/** A file (so that `<file>/out` cannot be created: ENOTDIR). */
export function blockingFile(into: string): string {
  const file = path.join(into, 'not-a-directory');
  writeFileSync(file, 'x');
  return file;
}

/** Entries of `dir` other than the given ones (to check that nothing was left behind). */
export function leftovers(dir: string, except: readonly string[] = []): string[] {
  return readdirSync(dir).filter((e) => !except.includes(e));
}
