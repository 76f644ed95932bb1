import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrunerRegistry } from '@vlp/core';
import { baselinePruners } from '@vlp/baselines';
import { headsAndNeuronsPruner, tempDir, tinySuite } from '../__tests__/helpers.js';
import { runBench } from '../run/run-bench.js';
import type { TaskId } from '../suite/types.js';

const registry = createPrunerRegistry([...baselinePruners(), headsAndNeuronsPruner()]);

describe('BLIP head classes in the benchmark (fixtures: random weights, made-up vocabulary)', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it.each([
    ['blip-itm-tiny', 'retrieval', 'r1Mean'],
    ['blip-caption-tiny', 'captioning', 'ciderD'],
    ['blip-vqa-tiny', 'vqa', 'accuracy'],
  ] as const)('%s: prunes (Wanda with calibration, structured with compaction), recovers one step and evaluates %s', async (name, task: TaskId, metric) => {
    const suite = tinySuite({
      models: [{ id: name, model: { kind: 'fixture', path: name }, tasks: [task] }],
      pruners: ['wanda', 'test-structured'],
      calibration: { batches: 1, batchSize: 2 },
      recovery: { steps: 1, batchSize: 2, learningRate: 1e-4, warmupSteps: 0, images: 2 },
    });
    const result = await runBench({ suite, runDir: path.join(tmp.dir, name), registry, limit: 2 });
    expect(result.records.map((r) => [r.pruner.id, r.status, r.error?.message])).toEqual([
      ['dense', 'ok', undefined],
      ['wanda', 'ok', undefined],
      ['test-structured', 'ok', undefined],
    ]);
    for (const r of result.records) {
      expect(r.primary).toEqual({ [task]: metric });
      expect(typeof r.metrics.oneShot[task]?.[metric]).toBe('number');
    }
    const [, wanda, structured] = result.records;
    expect(wanda?.sparsity?.overall).toBeCloseTo(0.5, 1);
    expect(wanda?.metrics.recovered?.[task]).toBeDefined();
    expect(structured?.flops?.after).toBeLessThan(structured!.flops!.before);
  });
});
