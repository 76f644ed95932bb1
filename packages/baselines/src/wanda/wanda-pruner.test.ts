import { type PruneEvent, type TapSpec, VlpError, prune } from '@vlp/core';
import { createSyntheticView, syntheticCalibration, type SyntheticView } from '@vlp/testkit';
import { describePrunerConformance } from '@vlp/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { wandaMask, wandaScores } from './score.js';
import { wanda } from './wanda-pruner.js';

const invalidConfigs = [
  { config: { granularity: { kind: '2:4' } }, path: ['granularity', 'kind'] },
  { config: { granularity: { kind: 'n:m', n: 5, m: 4 } }, path: ['granularity', 'n'] },
  { config: { comparisonGroup: 'column' }, path: ['comparisonGroup'] },
  { config: { tokens: 'padding' }, path: ['tokens'] },
];
describePrunerConformance(wanda(), {
  validConfigs: [{}, { comparisonGroup: 'tensor' }, { sequential: false, tokens: 'valid' }],
  invalidConfigs,
});
describePrunerConformance(wanda({ granularity: { kind: 'n:m', n: 2, m: 4 } }), {
  sparsities: [0.5],
  nm: { n: 2, m: 4 },
  invalidConfigs: [{ config: { granularity: { kind: 'unstructured' } }, path: ['granularity'] }],
});

const calibration = syntheticCalibration(2, 0);

async function denseSumSquares(view: SyntheticView, tokens: 'all' | 'valid'): Promise<Map<string, Float64Array>> {
  const taps: TapSpec[] = view.units.map((u) => ({ kind: 'input-sum-squares', unit: u.name, tokens }));
  const sums = new Map(view.units.map((u) => [u.name, new Float64Array(u.shape[1])]));
  for await (const batch of calibration.batches()) {
    const result = await view.run(batch, { taps });
    result.taps.forEach((tap, i) => tap.value.dataSync().forEach((v, j) => (sums.get(view.units[i].name)![j] += v)));
    result.dispose();
  }
  return sums;
}

describe('wanda', () => {
  let view: SyntheticView | undefined;
  afterEach(() => view?.dispose());

  it('with sequential: false, prunes every row by |W|·‖X‖ of one dense calibration pass', async () => {
    view = createSyntheticView();
    for (const tokens of ['all', 'valid'] as const) {
      const report = await prune(wanda(), view, { sparsity: 0.5, seed: 0 }, { apply: false, calibration, config: { sequential: false, tokens } });
      const sums = await denseSumSquares(view, tokens);
      for (const unit of view.units) {
        const expected = wandaMask(wandaScores(view.weight(unit.name).dataSync() as Float32Array, sums.get(unit.name)!), unit.shape, { sparsity: 0.5 });
        expect(report.masks.get(unit.name), `${tokens} ${unit.name}`).toEqual(expected);
      }
    }
  });

  it('calibrates block by block by default: the first block as the dense pass, later ones on the pruned model', async () => {
    view = createSyntheticView();
    const events: PruneEvent[] = [];
    const sequential = await prune(wanda(), view, { sparsity: 0.75, seed: 0 }, { apply: false, calibration, onEvent: (e) => events.push(e) });
    const dense = await prune(wanda(), view, { sparsity: 0.75, seed: 0 }, { apply: false, calibration, config: { sequential: false } });
    expect(events.filter((e) => e.type === 'calibration-start')).toHaveLength(4); // vision.0, vision.1, text.0, text.1
    const first = view.units.filter((u) => u.blockId === 'vision.0');
    for (const u of first) expect(sequential.masks.get(u.name)).toEqual(dense.masks.get(u.name));
    const later = view.units.filter((u) => u.blockId === 'vision.1');
    expect(later.some((u) => sequential.masks.get(u.name)!.some((v, i) => v !== dense.masks.get(u.name)![i]))).toBe(true);
  });

  it('prunes only the modalities in scope', async () => {
    view = createSyntheticView();
    const report = await prune(wanda(), view, { sparsity: 0.5, seed: 0, scope: { modalities: ['text'] } }, { apply: false, calibration });
    expect(Object.keys(report.sparsity.perModality)).toEqual(['text']);
    expect([...report.masks.keys()].every((name) => name.startsWith('text'))).toBe(true);
  });

  it('rejects a sparsity an N:M pattern cannot realise, before calibrating', async () => {
    view = createSyntheticView();
    const events: PruneEvent[] = [];
    const error = await prune(wanda(), view, { sparsity: 0.7, seed: 0 }, {
      apply: false,
      calibration,
      config: { granularity: { kind: 'n:m', n: 2, m: 4 } },
      onEvent: (e) => events.push(e),
    }).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(/2:4 prunes exactly 0.5 .* request.sparsity is 0.7/);
    expect(events.map((e) => e.type)).toEqual(['prune-start']);
  });
});
