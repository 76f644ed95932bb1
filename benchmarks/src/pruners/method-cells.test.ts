import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateStandard } from '@vlp/core';
import { tempDir, tinySuite } from '../__tests__/helpers.js';
import type { RunManifest } from '../run/manifest.js';
import { type RunBenchResult, runBench } from '../run/run-bench.js';
import type { CellResult } from '../results/schema.js';
import { DEFAULT_PRUNER_CONFIGS, defaultSuite } from '../suites/default.js';
import { installedPrunerRegistry } from './installed-pruners.js';
import { METHOD_PACKAGES } from './method-packages.js';

const METHODS = ['multiflow', 'ecoflap', 'upop', 'mope', 'id-metric', 'id-metric-iterative'] as const;

describe('the five method packages in the benchmark (six pruners: ID one-shot and iterative)', () => {
  it('are installed, and the default suite gives each a config its schema accepts', async () => {
    const registry = await installedPrunerRegistry();
    expect(registry.ids().slice(8, 8 + METHODS.length)).toEqual([...METHODS]);
    expect(METHOD_PACKAGES).toHaveLength(METHODS.length);
    expect(defaultSuite.pruners).toBe('installed');
    for (const id of METHODS) {
      expect(DEFAULT_PRUNER_CONFIGS[id], id).toBeDefined();
      await validateStandard(registry.get(id).configSchema, DEFAULT_PRUNER_CONFIGS[id], id);
    }
  });

  describe('each runs through a cell on the clip-tiny fixture', () => {
    const tmp = tempDir();
    const runDir = path.join(tmp.dir, 'methods');
    let result: RunBenchResult;
    let lines: CellResult[];
    beforeAll(async () => {
      const suite = tinySuite({
        pruners: [...METHODS],
        // tiny budgets: seconds per cell
        prunerConfigs: {
          multiflow: { numBatches: 1 },
          ecoflap: { scores: { kind: 'zeroth-order', samples: 8 } },
          upop: { searchSteps: 2, interval: 1 },
          'id-metric': { samples: 8, maxBlocks: 2, thresholdRule: 'exact' },
          // 2 epochs × 2 train batches, warm-ups of 1 step, PLATON windows of 1 step
          'id-metric-iterative': { samples: 8, maxBlocks: 2, thresholdRule: 'exact', epochs: 2, warmupSteps: 1, deltaT: 1, learningRate: 1e-4 },
        },
        calibration: { batches: 1, batchSize: 8 },
        train: { images: 8, batchSize: 4 },
        validation: { count: 8, batchSize: 8 },
        recovery: false,
      });
      result = await runBench({ suite, runDir, registry: await installedPrunerRegistry(), limit: 8 });
      lines = readFileSync(path.join(runDir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CellResult);
    }, 300_000);
    afterAll(() => tmp.cleanup());

    it('one ok line per method with sane metrics', () => {
      expect(result.status).toBe('complete');
      expect(lines.map((r) => [r.pruner.id, r.status, r.error?.message, r.target.sparsity, r.target.compression])).toEqual([
        ['dense', 'ok', undefined, 0, null],
        ['multiflow', 'ok', undefined, 0.5, null],
        ['ecoflap', 'ok', undefined, 0.5, null],
        ['upop', 'ok', undefined, 0.5, 2],
        ['mope', 'ok', undefined, 0.5, 2],
        ['id-metric', 'ok', undefined, 0.5, null],
        ['id-metric-iterative', 'ok', undefined, 0.5, null],
      ]);
      for (const r of lines) {
        for (const task of ['zero-shot', 'retrieval'] as const) {
          const value = r.metrics.oneShot[task]?.[r.primary[task] as string];
          expect(value, `${r.pruner.id} ${task}`).toBeGreaterThanOrEqual(0);
          expect(value, `${r.pruner.id} ${task}`).toBeLessThanOrEqual(100);
        }
        expect(r.timings.pruneMs).toBeGreaterThanOrEqual(0);
      }
    });

    it("records what each pruner reports (ECoFLaP's stage times and peak memory) and tables the stages", () => {
      const eco = lines.find((l) => l.pruner.id === 'ecoflap')!;
      expect(eco.prunerReport?.timings).toMatchObject({ stage1: expect.any(Number), stage2: expect.any(Number) });
      expect(eco.prunerReport?.metrics.stage1PeakTensorBytes).toBeGreaterThan(0);
      expect(eco.prunerReport?.metrics.stage1Passes).toBeGreaterThan(0);
      expect(lines[0]?.prunerReport).toBeUndefined();
      const summary = readFileSync(path.join(runDir, 'summary.md'), 'utf8');
      expect(summary).toMatch(/## Pruner stages[\s\S]*\| clip-tiny \| ECoFLaP \| +0\.50 \|/);
    });

    it('unstructured methods: matched sparsity, masks only (same params and FLOPs)', () => {
      for (const r of lines.filter((l) => ['multiflow', 'ecoflap', 'id-metric', 'id-metric-iterative'].includes(l.pruner.id))) {
        expect(r.pruner.granularity).toBe('unstructured');
        expect(r.sparsity?.overall, r.pruner.id).toBeCloseTo(0.5, 2);
        expect(r.params?.after).toBe(r.params?.before);
        expect(r.params?.nonzeroAfter).toBeLessThan(r.params!.before);
        expect(r.flops?.after).toBe(r.flops?.before);
      }
    });

    it('structured methods are evaluated on the compacted model: fewer params and FLOPs', () => {
      const dense = lines[0]!;
      for (const r of lines.filter((l) => ['upop', 'mope'].includes(l.pruner.id))) {
        expect(r.pruner.granularity).toBe('structured');
        expect(r.params!.before).toBe(dense.params!.before);
        // the model evaluated IS smaller (compaction), not a zero-masked copy of the dense one
        expect(r.params!.after, r.pruner.id).toBeLessThan(r.params!.before);
        expect(r.params!.nonzeroAfter).toBe(r.params!.after);
        expect(r.flops!.after, r.pruner.id).toBeLessThan(r.flops!.before);
        expect(r.flops!.effectiveAfter).toBe(r.flops!.after);
        // about half of the prunable weights removed (structures are coarse)
        expect(r.sparsity?.overall, r.pruner.id).toBeGreaterThan(0.4);
        expect(r.sparsity?.overall, r.pruner.id).toBeLessThan(0.6);
      }
    });

    it('run.json records every method with its resolved (defaults-filled) config', () => {
      const manifest = JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunManifest;
      const byId = new Map(manifest.pruners.map((p) => [p.id, p]));
      expect([...byId.keys()]).toEqual([...METHODS]);
      expect(byId.get('upop')?.config).toMatchObject({ searchSteps: 2, interval: 1, learningRate: 1e-5 });
      expect(byId.get('mope')?.config).toMatchObject({ neuronGroups: { kind: 'count', count: 8 }, depthShare: 0.25 });
      expect(byId.get('multiflow')?.config).toMatchObject({ numBatches: 1, rounding: 'exact' });
      expect(byId.get('ecoflap')?.config).toMatchObject({ scores: { kind: 'zeroth-order', samples: 8 }, fine: { kind: 'wanda' } });
      expect(byId.get('id-metric')?.config).toMatchObject({ samples: 8, thresholdRule: 'exact' });
      expect(byId.get('id-metric-iterative')?.config).toMatchObject({ base: 'platon', useId: true, epochs: 2, warmupSteps: 1, deltaT: 1 });
    });
  });
});
