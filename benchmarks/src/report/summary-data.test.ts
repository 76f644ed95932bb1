import { describe, expect, it } from 'vitest';
import type { CellResult } from '../results/schema.js';
import { summaryTables } from './summary-data.js';

function cell(pruner: string, sparsity: number, seed: number, r1: number | undefined, granularity: CellResult['pruner']['granularity'] = 'unstructured'): CellResult {
  return {
    schema: 1,
    key: `${pruner}-${sparsity}-${seed}`,
    status: r1 === undefined ? 'failed' : 'ok',
    suite: 's',
    model: { id: 'm', architecture: 'clip', sha256: '' },
    pruner: { id: pruner, version: '1', granularity, config: null },
    target: { sparsity, compression: granularity === 'structured' ? 1 / (1 - sparsity) : null, seed },
    sparsity: null,
    params: null,
    flops: null,
    metrics: { oneShot: r1 === undefined ? {} : { retrieval: { r1Mean: r1 } }, recovered: null },
    primary: { retrieval: 'r1Mean' },
    recovery: null,
    timings: { pruneMs: 0, evaluateMs: 0, recoveryMs: 0, totalMs: 0 },
    memory: { peakRssBytes: 0, processMaxRssBytes: 0, tfjsTensors: 0 },
    engine: { forward: 'onnx', gradients: 'tfjs' },
    backend: 'wasm',
    masks: null,
    finishedAt: '',
  };
}

describe('summaryTables', () => {
  it('makes one table per model × task × kind: methods in registry order, sparsities ascending, means over seeds, ties all best', () => {
    const tables = summaryTables(
      [
        cell('dense', 0, 0, 50, 'dense'),
        cell('wanda', 0.75, 0, 30),
        cell('wanda', 0.75, 1, 34),
        cell('wanda', 0.5, 0, 40),
        cell('magnitude', 0.5, 0, 40),
        cell('magnitude', 0.75, 0, undefined),
        cell('upop', 0.5, 0, 45, 'structured'),
      ],
      ['magnitude', 'wanda', 'upop'],
    );
    expect(tables.map((t) => [t.kind, t.phase, t.columns.map((c) => c.sparsity)])).toEqual([
      ['unstructured', 'oneShot', [0.5, 0.75]],
      ['structured', 'oneShot', [0.5]],
    ]);
    const [u, s] = tables;
    expect(u?.dense).toBe(50);
    expect(u?.rows.map((r) => r.prunerId)).toEqual(['magnitude', 'wanda']);
    expect(u?.rows[0]?.values).toEqual([{ mean: 40, std: 0, seeds: 1 }, 'failed']);
    expect(u?.rows[1]?.values[1]).toEqual({ mean: 32, std: Math.sqrt(8), seeds: 2 });
    expect(u?.best).toEqual([[0, 1], [1]]);
    expect(s?.columns).toEqual([{ sparsity: 0.5, compression: 2 }]);
    expect(s?.best).toEqual([[0]]);
  });
});
