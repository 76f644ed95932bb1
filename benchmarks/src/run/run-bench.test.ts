import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnyPruner, createPrunerRegistry, definePruner, loadMasks } from '@vlp/core';
import { baselinePruners } from '@vlp/baselines';
import { BenchLockedError, BenchUsageError } from '../errors/bench-errors.js';
import { headsAndNeuronsPruner, tempDir, tinySuite } from '../__tests__/helpers.js';
import type { CellResult } from '../results/schema.js';
import { mergeRuns } from './merge.js';
import { type RunBenchResult, runBench } from './run-bench.js';

const failing: AnyPruner = definePruner({
  ...baselinePruners()[0]!,
  id: 'always-fails',
  displayName: 'Always fails',
  async prune() {
    throw new Error('this pruner always fails');
  },
});
const registry = createPrunerRegistry([...baselinePruners(), headsAndNeuronsPruner(), failing]);
const suite = tinySuite({ pruners: ['random', 'magnitude', 'test-structured'] });
const lines = (dir: string): CellResult[] => readFileSync(path.join(dir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CellResult);
const metricsOf = (results: readonly CellResult[]) => results.map((r) => ({ key: r.key, status: r.status, metrics: r.metrics, sparsity: r.sparsity, params: r.params, flops: r.flops }));

describe('runBench on the clip-tiny fixture', () => {
  const tmp = tempDir();
  const full = path.join(tmp.dir, 'full');
  let result: RunBenchResult;
  beforeAll(async () => {
    result = await runBench({ suite, runDir: full, registry, limit: 8 });
  });
  afterAll(() => tmp.cleanup());

  it('writes one results line per cell: dense, each pruner at its target, with every measurement', () => {
    const results = lines(full);
    expect(result.status).toBe('complete');
    expect(results.map((r) => [r.pruner.id, r.target.sparsity, r.target.compression])).toEqual([
      ['dense', 0, null],
      ['random', 0.5, null],
      ['magnitude', 0.5, null],
      ['test-structured', 0.5, 2],
    ]);
    for (const r of results) {
      expect(r.status).toBe('ok');
      expect(Object.keys(r.metrics.oneShot)).toEqual(['zero-shot', 'retrieval']);
      expect(r.primary).toEqual({ 'zero-shot': 'top1', retrieval: 'r1Mean' });
      expect(r.engine).toEqual({ forward: 'onnx', gradients: 'tfjs' });
      expect(r.backend).toBe('wasm');
      expect(r.memory.peakRssBytes).toBeGreaterThan(0);
    }
    const [dense, rand, , structured] = results as [CellResult, CellResult, CellResult, CellResult];
    expect(dense.metrics.recovered).toBeNull();
    expect(rand.metrics.recovered).not.toBeNull();
    expect(rand.sparsity?.overall).toBeCloseTo(0.5, 2);
    expect(Object.keys(rand.sparsity?.perModality ?? {})).toEqual(['vision', 'text']);
    // masks give no speed-up: dense kernels run the same FLOPs; only the theoretical count drops
    expect(rand.flops?.after).toBe(rand.flops?.before);
    expect(rand.flops?.effectiveAfter).toBeLessThan(rand.flops!.before);
    expect(rand.params?.after).toBe(rand.params?.before);
    expect(rand.params?.nonzeroAfter).toBeLessThan(rand.params!.before);
    // structured compaction removes parameters and FLOPs for real
    expect(structured.params!.after).toBeLessThan(structured.params!.before);
    expect(structured.flops!.after).toBeLessThan(structured.flops!.before);
    expect(structured.sparsity!.overall).toBeGreaterThan(0.45);
  });

  it('saves each cell atomically with per-unit sparsities, and the masks as safetensors', async () => {
    const r = lines(full)[2] as CellResult;
    const cell = JSON.parse(readFileSync(path.join(full, 'cells', `${r.key}.json`), 'utf8')) as { perUnit: { unit: string; sparsity: number }[] };
    expect(cell.perUnit).toHaveLength(30);
    const { masks, metadata } = await loadMasks(path.join(full, r.masks as string));
    expect(metadata).toMatchObject({ pruner: 'magnitude', key: r.key });
    const unit = cell.perUnit[0]!;
    const mask = masks.get(unit.unit)!;
    expect(mask.filter((v) => v === 0).length / mask.length).toBeCloseTo(unit.sparsity, 6);
  });

  it('writes run.json with versions, environment, model and data hashes and resolved pruner configs', () => {
    const manifest = JSON.parse(readFileSync(path.join(full, 'run.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'vlp-bench-run', status: 'complete', limit: 8, seeds: [0], backend: { tfjs: 'wasm', engine: 'onnx' } });
    expect(Object.keys(manifest.environment.versions)).toEqual(expect.arrayContaining(['@vlp/bench', '@vlp/core', '@vlp/models', '@vlp/baselines', 'onnxruntime-node']));
    expect(manifest.environment.node).toBe(process.version);
    expect(manifest.environment.git?.sha ?? '').toMatch(/^([0-9a-f]{40})?$/);
    expect(manifest.models[0].files['model.safetensors']).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.models[0].evalSets.retrieval).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.pruners.map((p: { id: string; config: unknown }) => [p.id, p.config])).toEqual([
      ['random', { scope: 'global' }],
      ['magnitude', { scope: 'layer' }],
      ['test-structured', {}],
    ]);
  });

  it('writes summary.md (dense row on top, best marked), SVG plots and report.html', () => {
    const summary = readFileSync(path.join(full, 'summary.md'), 'utf8');
    expect(summary).toContain('## clip-tiny · retrieval · r1Mean · unstructured (one-shot)');
    expect(summary).toContain('## clip-tiny · zero-shot · top1 · structured (after recovery: 1 steps, masks fixed)');
    expect(summary).toMatch(/\| method +\| +0\.50 \|\n\| :-+ \| -+: \|\n\| dense /);
    expect(summary).toMatch(/Structured methods at matched fraction of prunable parameters removed/);
    expect(summary).toMatch(/\| method +\| +2× \(0\.50\) \|/);
    expect(summary).toMatch(/\*\*\d+\.\d\d\*\*/);
    expect(summary).toContain('dense kernels run no faster');
    for (const f of ['clip-tiny-zero-shot.svg', 'clip-tiny-retrieval.svg', 'layers-clip-tiny-random.svg', 'layers-clip-tiny-test-structured.svg']) {
      expect(readFileSync(path.join(full, 'plots', f), 'utf8')).toMatch(/^<svg /);
    }
    expect(readFileSync(path.join(full, 'report.html'), 'utf8')).toContain('<svg');
  });

  it('runs each model with its own grid, keeps the keys of a model without overrides, and records the grids in run.json', async () => {
    const dir = path.join(tmp.dir, 'per-model');
    const small = { ...suite.models[0]!, id: 'clip-small', pruners: ['random'], sparsities: [0.75], evaluation: { count: 4, batchSize: 64 }, recovery: false as const };
    const r = await runBench({ suite: tinySuite({ pruners: suite.pruners, models: [...suite.models, small] }), runDir: dir, registry, limit: 8 });
    expect(r.status).toBe('complete');
    const got = lines(dir);
    expect(got.map((l) => [l.model.id, l.pruner.id, l.target.sparsity, l.target.compression])).toEqual([
      ['clip-tiny', 'dense', 0, null],
      ['clip-tiny', 'random', 0.5, null],
      ['clip-tiny', 'magnitude', 0.5, null],
      ['clip-tiny', 'test-structured', 0.5, 2],
      ['clip-small', 'dense', 0, null],
      ['clip-small', 'random', 0.75, null],
    ]);
    // the model without overrides: the same cells and keys as the run of the suite without the other model
    expect(got.slice(0, 4).map((l) => l.key)).toEqual(lines(full).map((l) => l.key));
    expect(got[1]!.metrics.recovered).not.toBeNull();
    expect(got[1]!.metrics.oneShot['zero-shot']?.count).toBe(8);
    // the model with overrides: its own evaluation size, no recovery
    expect(got[5]!.metrics.recovered).toBeNull();
    expect(got[5]!.recovery).toBeNull();
    expect(got[5]!.metrics.oneShot['zero-shot']?.count).toBe(4);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8'));
    expect(manifest.models.map((m: { id: string; grid: unknown }) => [m.id, m.grid])).toEqual([
      ['clip-tiny', { pruners: ['random', 'magnitude', 'test-structured'], sparsities: [0.5], compressions: [2], evaluation: { count: 8, batchSize: 64 }, recovery: suite.recovery, overrides: [] }],
      ['clip-small', { pruners: ['random'], sparsities: [0.75], compressions: [2], evaluation: { count: 4, batchSize: 64 }, recovery: false, overrides: ['pruners', 'sparsities', 'evaluation', 'recovery'] }],
    ]);
    expect(manifest.suite.definition.models[1]).toMatchObject({ id: 'clip-small', pruners: ['random'], sparsities: [0.75], recovery: false });
    expect(manifest.skipped).toEqual([
      { modelId: 'clip-small', prunerId: 'magnitude', reason: "not in the model's grid (its pruners setting)" },
      { modelId: 'clip-small', prunerId: 'test-structured', reason: "not in the model's grid (its pruners setting)" },
    ]);
    expect(readFileSync(path.join(dir, 'summary.md'), 'utf8')).toContain('## clip-small · retrieval · r1Mean · unstructured (one-shot)');
  });

  it('resumes without redoing finished cells, and refuses to reuse a directory without --resume', async () => {
    const before = readFileSync(path.join(full, 'results.jsonl'), 'utf8');
    const resumed = await runBench({ suite, runDir: full, registry, limit: 8, resume: true });
    expect(readFileSync(path.join(full, 'results.jsonl'), 'utf8')).toBe(before);
    expect(resumed.records).toHaveLength(4);
    const error = await runBench({ suite, runDir: full, registry, limit: 8 }).catch((e: unknown) => e);
    expect(BenchUsageError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/already holds a run. Pass --resume/);
  });

  it('refuses a second run writing the same directory at once', async () => {
    const dir = path.join(tmp.dir, 'busy');
    const first = runBench({ suite: tinySuite({ pruners: ['random'], recovery: false }), runDir: dir, registry, limit: 4 });
    await new Promise((r) => setTimeout(r, 50));
    const error = await runBench({ suite, runDir: dir, registry, limit: 4, resume: true }).catch((e: unknown) => e);
    expect(BenchLockedError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/is writing .*busy/);
    expect((await first).status).toBe('complete');
  });

  it('runs shards that merge into the same results as one run', async () => {
    const shards = [1, 2].map((index) => path.join(tmp.dir, `shard-${index}`));
    for (const [i, dir] of shards.entries()) await runBench({ suite, runDir: dir, registry, limit: 8, shard: { index: i + 1, count: 2 } });
    expect(lines(shards[0]!).length + lines(shards[1]!).length).toBe(4);
    const merged = path.join(tmp.dir, 'merged');
    const { manifest, missing } = await mergeRuns(merged, shards);
    expect(missing).toBe(0);
    expect(manifest.status).toBe('complete');
    expect(metricsOf(lines(merged))).toEqual(metricsOf(lines(full)));
    expect(existsSync(path.join(merged, 'report.html'))).toBe(true);
    const other = path.join(tmp.dir, 'other');
    await runBench({ suite: tinySuite({ pruners: ['random'], recovery: false }), runDir: other, registry, limit: 4 });
    await expect(mergeRuns(path.join(tmp.dir, 'bad-merge'), [shards[0]!, other])).rejects.toThrowError(/another grid/);
  });

  it('records a failing cell as failed, finishes the others, and retries it on --resume', async () => {
    const dir = path.join(tmp.dir, 'failing');
    const s = tinySuite({ pruners: ['always-fails', 'random'], recovery: false });
    const r = await runBench({ suite: s, runDir: dir, registry, limit: 4 });
    expect(r.status).toBe('failed');
    expect(lines(dir).map((l) => [l.pruner.id, l.status])).toEqual([['dense', 'ok'], ['always-fails', 'failed'], ['random', 'ok']]);
    expect(lines(dir)[1]?.error).toEqual({ code: 'ERROR', message: 'this pruner always fails' });
    expect(readFileSync(path.join(dir, 'summary.md'), 'utf8')).toMatch(/\| Always fails \| +failed \|/);
    const events: string[] = [];
    await runBench({ suite: s, runDir: dir, registry, limit: 4, resume: true, onEvent: (e) => e.type === 'cell-start' && events.push(e.cell.prunerId) });
    expect(events).toEqual(['always-fails']);
  });

  it('leaves out an optional embedded model the zoo does not ship, listing it in run.json', async () => {
    const dir = path.join(tmp.dir, 'optional');
    const s = tinySuite({
      models: [...tinySuite().models, { id: 'ghost', model: { kind: 'embedded', name: 'no-such-model' }, tasks: ['retrieval'], optional: true }],
      pruners: ['random'],
      recovery: false,
    });
    const r = await runBench({ suite: s, runDir: dir, registry, limit: 4 });
    expect(r.status).toBe('complete');
    expect(lines(dir).map((l) => [l.model.id, l.pruner.id])).toEqual([['clip-tiny', 'dense'], ['clip-tiny', 'random']]);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')) as { skipped: unknown[]; models: { id: string }[] };
    expect(manifest.models.map((m) => m.id)).toEqual(['clip-tiny']);
    expect(manifest.skipped).toEqual([{ modelId: 'ghost', prunerId: '*', reason: 'optional: embedded model "no-such-model" is not shipped by this @vlp/zoo' }]);
    // not optional: the run fails before any cell, naming the model
    await expect(runBench({ suite: tinySuite({ models: [{ ...s.models[1]!, optional: false }], pruners: ['random'], recovery: false }), runDir: path.join(tmp.dir, 'not-optional'), registry, limit: 4 })).rejects.toThrowError(/no-such-model/);
  });
});
