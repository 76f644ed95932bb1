import { describe, expect, it } from 'vitest';
import { baselinePruners } from '@vlp/baselines';
import { headsAndNeuronsPruner, tinySuite } from '../__tests__/helpers.js';
import { canonicalJson, hashValue } from './canonical-json.js';
import { cellKey, type CellKeyContext } from './cell-key.js';
import { compressionSparsity, expandGrid } from './cells.js';
import { parseShard, selectShard } from './shard.js';

const [random, magnitude] = baselinePruners();

describe('expandGrid', () => {
  it('puts the dense cell first, then every pruner × target × seed; structured pruners get compressions', () => {
    const { cells, skipped } = expandGrid({
      models: [{ id: 'm', architecture: 'clip' }],
      pruners: [random!, headsAndNeuronsPruner()],
      sparsities: [0.5, 0.75],
      compressions: [2, 4],
      seeds: [0, 1],
    });
    expect(skipped).toEqual([]);
    expect(cells[0]).toEqual({ modelId: 'm', prunerId: 'dense', granularity: 'dense', sparsity: 0, seed: 0 });
    expect(cells.filter((c) => c.prunerId === 'random').map((c) => [c.sparsity, c.seed])).toEqual([[0.5, 0], [0.5, 1], [0.75, 0], [0.75, 1]]);
    expect(cells.filter((c) => c.prunerId === 'test-structured').map((c) => [c.sparsity, c.compression])).toEqual([[0.5, 2], [0.5, 2], [0.75, 4], [0.75, 4]]);
    expect(compressionSparsity(4)).toBe(0.75);
  });

  it('gives an N:M pruner the one sparsity of its pattern', () => {
    const nm = { ...magnitude!, id: 'wanda-2-4', capabilities: { ...magnitude!.capabilities, granularity: 'n:m' as const } };
    const { cells } = expandGrid({ models: [{ id: 'm', architecture: 'clip' }], pruners: [nm], sparsities: [0.5, 0.75], compressions: [], seeds: [0], nmSparsity: () => 0.5 });
    expect(cells.slice(1).map((c) => c.sparsity)).toEqual([0.5]);
  });

  it('leaves out pruners that do not support the architecture', () => {
    const clipOnly = { ...magnitude!, capabilities: { ...magnitude!.capabilities, architectures: ['clip'] } };
    const { cells, skipped } = expandGrid({ models: [{ id: 'b', architecture: 'blip-itm' }], pruners: [clipOnly], sparsities: [0.5], compressions: [], seeds: [0] });
    expect(cells).toHaveLength(1);
    expect(skipped).toEqual([{ modelId: 'b', prunerId: 'magnitude', reason: 'does not support architecture "blip-itm"' }]);
  });
});

describe('cellKey', () => {
  const context: CellKeyContext = {
    modelSha256: 'a'.repeat(64),
    tasks: ['retrieval'],
    evalHashes: { retrieval: 'b'.repeat(64) },
    dataId: 'shapes-vl:seed=0',
    suite: tinySuite(),
    pruner: { id: 'random', version: '0.0.0', config: { scope: 'global' } },
    engine: 'onnx',
    backend: 'wasm',
  };
  const cell = { modelId: 'm', prunerId: 'random', granularity: 'unstructured' as const, sparsity: 0.5, seed: 0 };

  it('is stable and changes with everything that determines the cell', () => {
    const key = cellKey(cell, context);
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(cellKey({ ...cell }, { ...context })).toBe(key);
    expect(cellKey({ ...cell, seed: 1 }, context)).not.toBe(key);
    expect(cellKey({ ...cell, sparsity: 0.75 }, context)).not.toBe(key);
    expect(cellKey(cell, { ...context, modelSha256: 'c'.repeat(64) })).not.toBe(key);
    expect(cellKey(cell, { ...context, pruner: { ...context.pruner!, config: { scope: 'layer' } } })).not.toBe(key);
    expect(cellKey(cell, { ...context, pruner: { ...context.pruner!, version: '0.0.1' } })).not.toBe(key);
    expect(cellKey(cell, { ...context, evalHashes: { retrieval: 'd'.repeat(64) } })).not.toBe(key);
    expect(cellKey(cell, { ...context, suite: tinySuite({ recovery: false }) })).not.toBe(key);
    expect(cellKey(cell, { ...context, backend: 'cpu' })).not.toBe(key);
  });

  it('hashes canonical JSON: key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined } })).toBe('{"a":{"d":[2,1]},"b":1}');
    expect(hashValue({ x: 1, y: 2 })).toBe(hashValue({ y: 2, x: 1 }));
  });
});

describe('shards', () => {
  it('parses i/n and splits a grid into disjoint, covering, balanced shards', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/2', '3/2', '1', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrowError(/--shard takes i\/n/);
    const items = Array.from({ length: 10 }, (_, i) => i);
    const shards = [1, 2, 3].map((index) => selectShard(items, { index, count: 3 }));
    expect(shards).toEqual([[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]);
    expect(selectShard(items, undefined)).toEqual(items);
  });
});
