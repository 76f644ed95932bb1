import { type PruneEvent, prune } from '@vlp/core';
import { createSyntheticView, syntheticCalibration, syntheticTask, type SyntheticView } from '@vlp/testkit';
import { describePrunerConformance } from '@vlp/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { idMetricIterative } from './id-iterative-pruner.js';

const calibration = syntheticCalibration(4, 0, { batchSize: 8 });
const task = syntheticTask();
/** 2 training batches per epoch × 3 epochs = 6 steps; warm-ups of one epoch (2 steps) at each end; PLATON windows of 2 steps (with ΔT 10 no EMA would move in 6 steps and every score would be 0). */
const small = { epochs: 3, samples: 32, maxBlocks: 2, learningRate: 1e-3, deltaT: 2 } as const;

describePrunerConformance(idMetricIterative(), {
  validConfigs: [small, { ...small, base: 'taylor' }, { ...small, base: 'magnitude', useId: false, thresholdRule: 'exact' }],
  invalidConfigs: [
    { config: { base: 'movement' }, path: ['base'] },
    { config: { beta2: 1 }, path: ['beta2'] },
    { config: { deltaT: 0 }, path: ['deltaT'] },
    { config: { base: 'taylor', beta1: 0.5 }, path: ['base'] },
  ],
  calibration,
  task,
});

describe('idMetricIterative', () => {
  let view: SyntheticView | undefined;
  afterEach(() => view?.dispose());

  it('defaults to the official BLIP captioning run (PLATON × ID, β 0.85/0.95, ΔT 10, 5 epochs, warm-ups 1/1)', async () => {
    const result = await idMetricIterative().configSchema['~standard'].validate({});
    expect(result).toMatchObject({
      value: { base: 'platon', useId: true, beta1: 0.85, beta2: 0.95, deltaT: 10, epochs: 5, initialWarmup: 1, finalWarmup: 1, learningRate: 1e-5, weightDecay: 0 },
    });
  });

  it('masks on the schedule inside fine-tuning: one step-end per step, a mask from the ramp on, fine-tuned weights returned', async () => {
    view = createSyntheticView();
    const events: PruneEvent[] = [];
    const before = view.units.map((u) => Array.from(view!.weight(u.name).dataSync()));
    const report = await prune(idMetricIterative(small), view, { sparsity: 0.6, seed: 0 }, { calibration, task, onEvent: (e) => events.push(e) });
    const steps = events.filter((e) => e.type === 'step-end') as Extract<PruneEvent, { type: 'step-end' }>[];
    expect(steps.map((e) => e.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(steps.every((e) => Number.isFinite(e.loss))).toBe(true);
    // masking at t = 4 (ramp, epoch end) and every step of the final warm-up (t = 5, 6)
    expect(report.metrics.maskings).toBe(3);
    expect(Math.abs(report.sparsity.total.sparsity - 0.6)).toBeLessThan(0.01);
    // applied: the surviving weights were fine-tuned, the pruned ones are zero
    let changed = false;
    for (const [k, u] of view.units.entries()) {
      const w = view.weight(u.name).dataSync();
      const mask = report.masks.get(u.name)!;
      for (let i = 0; i < w.length; i++) {
        if (mask[i] === 0) expect(w[i]).toBe(0);
        else if (w[i] !== before[k]![i]) changed = true;
      }
    }
    expect(changed).toBe(true);
  });

  it('reports a clear error when the warm-ups do not fit the run', async () => {
    view = createSyntheticView();
    await expect(prune(idMetricIterative({ ...small, epochs: 1 }), view, { sparsity: 0.5, seed: 0 }, { calibration, task })).rejects.toThrowError(/initialWarmup/);
  });
});
