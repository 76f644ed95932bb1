import { describe, expect, it } from 'vitest';
import type { PrunableUnit } from '../contract/view.js';
import { VlpError } from '../errors/index.js';
import { countPruned, sparsityReport } from './sparsity.js';

const units: PrunableUnit[] = [
  { name: 'v.0.q', modality: 'vision', blockId: 'vision.0', block: 0, role: 'attn.q', shape: [2, 3] },
  { name: 'v.0.fc1', modality: 'vision', blockId: 'vision.0', block: 0, role: 'mlp.fc1', shape: [2, 2] },
  { name: 't.0.q', modality: 'text', blockId: 'text.0', block: 0, role: 'attn.q', shape: [1, 4] },
  { name: 't.1.fc2', modality: 'text', blockId: 'text.1', block: 1, role: 'mlp.fc2', shape: [2, 1] },
];

const masks = new Map([
  ['v.0.q', new Uint8Array([1, 0, 1, 0, 1, 1])],
  ['t.0.q', new Uint8Array([0, 0, 0, 1])],
  ['t.1.fc2', new Uint8Array([1, 1])],
]);

describe('countPruned', () => {
  it('counts zeros', () => {
    expect(countPruned(new Uint8Array([1, 0, 1, 0, 0]))).toBe(3);
    expect(countPruned(new Uint8Array(0))).toBe(0);
  });
});

describe('sparsityReport', () => {
  it('reports per unit, per modality, per block and in total (missing mask = dense)', () => {
    const r = sparsityReport(units, masks, new Map([['v.0.q', 0.3]]));
    expect(r.perUnit).toEqual([
      { unit: 'v.0.q', modality: 'vision', blockId: 'vision.0', role: 'attn.q', numel: 6, pruned: 2, sparsity: 1 / 3, target: 0.3 },
      { unit: 'v.0.fc1', modality: 'vision', blockId: 'vision.0', role: 'mlp.fc1', numel: 4, pruned: 0, sparsity: 0 },
      { unit: 't.0.q', modality: 'text', blockId: 'text.0', role: 'attn.q', numel: 4, pruned: 3, sparsity: 0.75 },
      { unit: 't.1.fc2', modality: 'text', blockId: 'text.1', role: 'mlp.fc2', numel: 2, pruned: 0, sparsity: 0 },
    ]);
    expect('target' in r.perUnit[1]).toBe(false);
    expect(r.perModality).toEqual({
      vision: { numel: 10, pruned: 2, sparsity: 0.2 },
      text: { numel: 6, pruned: 3, sparsity: 0.5 },
    });
    expect('fusion' in r.perModality).toBe(false);
    expect(r.perBlock).toEqual({
      'vision.0': { numel: 10, pruned: 2, sparsity: 0.2 },
      'text.0': { numel: 4, pruned: 3, sparsity: 0.75 },
      'text.1': { numel: 2, pruned: 0, sparsity: 0 },
    });
    expect(r.total).toEqual({ numel: 16, pruned: 5, sparsity: 5 / 16 });
  });

  it('an empty unit list gives zero totals with sparsity 0', () => {
    expect(sparsityReport([], new Map()).total).toEqual({ numel: 0, pruned: 0, sparsity: 0 });
  });

  it('rejects a mask of the wrong length, naming the unit', () => {
    let caught: unknown;
    try {
      sparsityReport(units, new Map([['v.0.fc1', new Uint8Array(5)]]));
    } catch (e) {
      caught = e;
    }
    expect(VlpError.isInstance(caught, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((caught as VlpError).tensor).toBe('v.0.fc1');
    expect((caught as Error).message).toMatch(/"v\.0\.fc1" has 5 entries but the unit's shape \[2, 2\] has 4/);
  });

  it('rejects masks or targets for unknown tensors and out-of-range targets', () => {
    expect(() => sparsityReport(units, new Map([['nope', new Uint8Array(1)]]))).toThrowError(/"nope"/);
    expect(() => sparsityReport(units, masks, new Map([['ghost', 0.5]]))).toThrowError(/targets name 1 tensor/);
    expect(() => sparsityReport(units, masks, new Map([['t.0.q', 1.5]]))).toThrowError(/\[0, 1\]/);
    expect(() => sparsityReport([units[0], units[0]], new Map())).toThrowError(/share the name/);
  });
});
