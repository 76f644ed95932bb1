import { type CalibrationSource, type PrunableView, type PruneEvent, type RunOptions, type TapSpec, VlpError, prune } from '@vlp/core';
import { type SyntheticBatch, type SyntheticView, createSyntheticView, syntheticCalibration } from '@vlp/testkit';
import { describePrunerConformance } from '@vlp/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { multimodalPrior } from './allocate.js';
import { informationFlowMask } from './mask.js';
import { multiflow } from './multiflow-pruner.js';
import { informationFlowScores } from './score.js';

describePrunerConformance(multiflow(), {
  validConfigs: [{}, { fusionAs: 'fusion' }, { rounding: 'official' }, { numBatches: 1 }, { engine: 'tfjs' }],
  invalidConfigs: [
    { config: { numBatches: 0 }, path: ['numBatches'] },
    { config: { numBatches: 2.5 }, path: ['numBatches'] },
    { config: { fusionAs: 'vision' }, path: ['fusionAs'] },
    { config: { rounding: 'round' }, path: ['rounding'] },
    { config: { engine: 'webgpu' }, path: ['engine'] },
    { config: { batchsize: 32 }, path: [] },
  ],
});
describePrunerConformance(multiflow({ rounding: 'official', numBatches: 1 }), { invalidConfigs: [{ config: { numBatches: 0 }, path: ['numBatches'] }] });

const calibration = syntheticCalibration(2, 0);
const code = (e: unknown) => (VlpError.isInstance(e) ? e.code : String(e));

/** Σ_valid x² / N_seq of every unit, straight from the view's taps (independent of the pruner's collector). */
async function referenceStatistic(view: SyntheticView, source: CalibrationSource<SyntheticBatch>): Promise<Map<string, Float64Array>> {
  const taps: TapSpec[] = view.units.map((u) => ({ kind: 'input-sum-squares', unit: u.name, tokens: 'valid' }));
  const sums = new Map(view.units.map((u) => [u.name, new Float64Array(u.shape[1])]));
  const sequences = new Map(view.units.map((u) => [u.name, 0]));
  for await (const batch of source.batches()) {
    const result = await view.run(batch, { taps });
    result.taps.forEach((tap, i) => {
      const name = view.units[i].name;
      tap.value.dataSync().forEach((v, j) => (sums.get(name)![j] += v));
      sequences.set(name, sequences.get(name)! + tap.sequences);
    });
    result.dispose();
  }
  return new Map([...sums].map(([name, s]) => [name, s.map((v) => v / sequences.get(name)!)]));
}

/** The view with the text tower's block 1 relabelled `fusion` (a stand-in for BLIP cross-attention). */
function withFusion(view: SyntheticView): PrunableView<SyntheticBatch> {
  const units = view.units.map((u) => (u.blockId === 'text.1' ? { ...u, modality: 'fusion' as const } : u));
  return {
    architecture: view.architecture,
    modalities: ['vision', 'text', 'fusion'],
    units,
    structures: [],
    weight: (name) => view.weight(name),
    run: (batch, options) => view.run(batch, options),
    applyMasks: (masks) => view.applyMasks(masks),
  };
}

/** Pruned weights per modality. */
function prunedPerModality(view: PrunableView<unknown>, masks: ReadonlyMap<string, Uint8Array>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const unit of view.units) out[unit.modality] = (out[unit.modality] ?? 0) + masks.get(unit.name)!.filter((v) => v === 0).length;
  return out;
}

describe('multiflow', () => {
  let view: SyntheticView | undefined;
  afterEach(() => view?.dispose());

  it('composes the statistic, the prior (eq. 7), the scores (eq. 6) and the masks (eq. 8)', async () => {
    view = createSyntheticView();
    const report = await prune(multiflow(), view, { sparsity: 0.75, seed: 0 }, { apply: false, calibration });
    const statistic = await referenceStatistic(view, calibration);
    const weights = new Map(view.units.map((u) => [u.name, view!.weight(u.name).dataSync() as Float32Array]));
    const prior = multimodalPrior(view.units.map((u) => ({ name: u.name, group: u.modality, weight: weights.get(u.name)! })), 0.75);
    for (const unit of view.units) {
      const scores = informationFlowScores(weights.get(unit.name)!, statistic.get(unit.name)!, unit.shape);
      expect(report.masks.get(unit.name), unit.name).toEqual(informationFlowMask(scores, prior.units.get(unit.name)!.k));
      expect(report.sparsity.perUnit.find((u) => u.unit === unit.name)!.target).toBe(prior.units.get(unit.name)!.sparsity);
    }
    // Per-unit sparsities differ (the prior is not uniform) but every modality ends at ⌊s·N_m⌋.
    const perUnit = report.sparsity.perUnit.map((u) => u.sparsity);
    expect(Math.max(...perUnit) - Math.min(...perUnit)).toBeGreaterThan(0.05);
    for (const modality of ['vision', 'text'] as const) {
      const { numel, pruned } = report.sparsity.perModality[modality]!;
      expect(pruned, modality).toBe(Math.floor(0.75 * numel));
    }
    expect(report.metrics).toEqual({ calibrationBatches: 2 });
    expect(report.notes).toEqual(['calibration: 2 batch(es) on the tfjs engine', 'multimodal prior over 2 group(s) (vision, text), rounding: exact']);
  });

  it('counts fusion units as text by default and thresholds them on their own with fusionAs: fusion', async () => {
    view = createSyntheticView();
    const fused = withFusion(view);
    const asText = await prune(multiflow(), fused, { sparsity: 0.5, seed: 0 }, { apply: false, calibration });
    const plain = await prune(multiflow(), view, { sparsity: 0.5, seed: 0 }, { apply: false, calibration });
    expect(asText.masks).toEqual(plain.masks);
    const separate = await prune(multiflow({ fusionAs: 'fusion' }), fused, { sparsity: 0.5, seed: 0 }, { apply: false, calibration });
    const numel = (m: string) => fused.units.filter((u) => u.modality === m).reduce((n, u) => n + u.shape[0] * u.shape[1], 0);
    expect(prunedPerModality(fused, separate.masks)).toEqual({ vision: numel('vision') / 2, text: numel('text') / 2, fusion: numel('fusion') / 2 });
    expect(separate.notes[1]).toBe('multimodal prior over 3 group(s) (vision, text, fusion), rounding: exact');
    const joined = prunedPerModality(fused, asText.masks);
    expect(joined.text + joined.fusion).toBe(Math.floor((numel('text') + numel('fusion')) / 2));
  });

  it('runs at most numBatches batches without pulling another one from the source', async () => {
    view = createSyntheticView();
    const inner = syntheticCalibration(5, 1);
    let pulled = 0;
    const counting: CalibrationSource<SyntheticBatch> = {
      size: 5,
      async *batches() {
        for await (const batch of inner.batches()) {
          pulled++;
          yield batch;
        }
      },
    };
    const events: PruneEvent[] = [];
    const report = await prune(multiflow({ numBatches: 2 }), view, { sparsity: 0.5, seed: 0 }, { apply: false, calibration: counting, onEvent: (e) => events.push(e) });
    expect(pulled).toBe(2);
    expect(report.metrics).toEqual({ calibrationBatches: 2 });
    expect(events.filter((e) => e.type.startsWith('calibration'))).toEqual([
      { type: 'calibration-start', batches: 2 },
      { type: 'calibration-batch-end', index: 0, total: 2 },
      { type: 'calibration-batch-end', index: 1, total: 2 },
      { type: 'calibration-end', batches: 2 },
    ]);
    const two = await prune(multiflow(), view, { sparsity: 0.5, seed: 0 }, { apply: false, calibration: syntheticCalibration(2, 1) });
    expect(report.masks).toEqual(two.masks);
  });

  it('asks the view for the configured engine and lets the view choose with auto', async () => {
    view = createSyntheticView();
    const engines: (RunOptions['engine'] | 'unset')[] = [];
    const spy: PrunableView<SyntheticBatch> = {
      ...withFusion(view),
      units: view.units,
      run: (batch, options) => {
        engines.push(options && 'engine' in options ? options.engine : 'unset');
        return view!.run(batch, options);
      },
    };
    await prune(multiflow(), spy, { sparsity: 0.5, seed: 0 }, { apply: false, calibration });
    await prune(multiflow({ engine: 'tfjs' }), spy, { sparsity: 0.5, seed: 0 }, { apply: false, calibration });
    expect(engines).toEqual(['unset', 'unset', 'tfjs', 'tfjs']);
    const error = await prune(multiflow({ engine: 'onnx' }), view, { sparsity: 0.5, seed: 0 }, { apply: false, calibration }).catch((e: unknown) => e);
    expect(code(error)).toBe('VLP_NOT_SUPPORTED'); // the synthetic view runs on tfjs only
  });

  it('rejects a calibration source without batches with VLP_CALIBRATION_REQUIRED', async () => {
    view = createSyntheticView();
    const empty: CalibrationSource<SyntheticBatch> = { size: 0, async *batches() {} };
    const error = await prune(multiflow(), view, { sparsity: 0.5, seed: 0 }, { apply: false, calibration: empty }).catch((e: unknown) => e);
    expect(code(error)).toBe('VLP_CALIBRATION_REQUIRED');
    expect((error as Error).message).toMatch(/at least one calibration batch/);
  });

  it('prunes only the modalities in scope, with the prior computed over them', async () => {
    view = createSyntheticView();
    const report = await prune(multiflow(), view, { sparsity: 0.6, seed: 0, scope: { modalities: ['text'] } }, { apply: false, calibration });
    expect([...report.masks.keys()].every((name) => name.startsWith('text'))).toBe(true);
    expect(report.sparsity.perModality.text!.pruned).toBe(Math.floor(0.6 * report.sparsity.perModality.text!.numel));
    expect(report.notes[1]).toMatch(/over 1 group\(s\) \(text\)/);
  });

  it('takes config defaults from the factory, under the run config', async () => {
    view = createSyntheticView();
    const report = await prune(multiflow({ rounding: 'official', numBatches: 1 }), view, { sparsity: 0.5, seed: 0 }, { apply: false, calibration, config: { numBatches: 2 } });
    expect(report.config).toEqual({ numBatches: 2, fusionAs: 'text', rounding: 'official', engine: 'auto' });
    expect(() => multiflow({ numBatches: -1 })).toThrow(/Invalid defaults passed to multiflow\(\): numBatches/);
  });
});
