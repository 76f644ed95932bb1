import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../__tests__/helpers.js';
import { type CliIo, EXIT, main } from './main.js';

function io(cwd = process.cwd()): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stderr = { write: (s: string) => ((err += s), true), isTTY: false } as unknown as NodeJS.WriteStream;
  return { stdout: (s) => (out += s), stderr, cwd, signal: new AbortController().signal, out: () => out, err: () => err };
}

describe('main (the pnpm bench command)', () => {
  it('prints the usage with --help and exits 0', async () => {
    const t = io();
    expect(await main(['--help'], t)).toBe(EXIT.ok);
    expect(t.out()).toContain('pnpm bench merge <out> <shard-dir>...');
  });

  it('exits 2 with the message and the usage for a bad flag', async () => {
    const t = io();
    expect(await main(['--frobnicate'], t)).toBe(EXIT.usage);
    expect(t.err()).toMatch(/^vlp bench: Unknown option "--frobnicate"\.\n\nUsage:/);
    expect(t.out()).toBe('');
  });

  it('exits 2 for an unknown pruner, listing the known ids', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const t = io();
      const code = await main(['--suite', 'smoke', '--model-dir', fixture('clip-tiny'), '--pruners', 'wanda,nope', '--out', path.join(dir, 'run'), '--progress', 'none'], t);
      expect(code).toBe(EXIT.usage);
      expect(t.err()).toMatch(/No pruner with id "nope". Known ids: random, magnitude, layerwise-l2norm, lamp, snip, itersnip, wanda, sparsegpt/);
    } finally {
      cleanup();
    }
  });

  it('exits 1 with a clear message when a model directory is missing', async () => {
    const t = io();
    expect(await main(['--model-dir', '/nonexistent/model', '--progress', 'none'], t)).toBe(EXIT.failure);
    expect(t.err()).toMatch(/VLP_MODEL_FILE_NOT_FOUND: No config.json in \/nonexistent\/model/);
  });

  it('lists suites and installed pruners as JSON', async () => {
    const t = io();
    expect(await main(['list', '--json'], t)).toBe(EXIT.ok);
    const listed = JSON.parse(t.out()) as { suites: { id: string }[]; pruners: { id: string; granularity: string }[] };
    expect(listed.suites.map((s) => s.id)).toEqual(['default', 'smoke']);
    expect(listed.pruners.map((p) => p.id)).toEqual([
      ...['random', 'magnitude', 'layerwise-l2norm', 'lamp', 'snip', 'itersnip', 'wanda', 'sparsegpt'],
      ...['multiflow', 'ecoflap', 'upop', 'mope', 'id-metric', 'id-metric-iterative'],
      ...['omp', 'ecoflap-first-order'],
    ]);
  });

  it('returns 130 when interrupted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { dir, cleanup } = tempDir();
    try {
      const t = { ...io(), signal: controller.signal };
      const code = await main(['--suite', 'smoke', '--model-dir', fixture('clip-tiny'), '--limit', '4', '--out', path.join(dir, 'run'), '--progress', 'none'], t);
      expect(code).toBe(EXIT.interrupted);
      expect(t.err()).toContain('interrupted; run again with --resume');
    } finally {
      cleanup();
    }
  });
});
