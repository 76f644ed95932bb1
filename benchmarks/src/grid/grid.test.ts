import { describe, expect, it } from 'vitest';
import { baselinePruners } from '@vlp/baselines';
import { headsAndNeuronsPruner, tinySuite } from '../__tests__/helpers.js';
import { canonicalJson, hashValue } from './canonical-json.js';
import { cellKey, type CellKeyContext } from './cell-key.js';
import { compressionSparsity, expandGrid } from './cells.js';
import { planCells, type PlanCellsModel } from './plan-cells.js';
import { defineSuite } from '../suite/define-suite.js';
import type { SuiteModel } from '../suite/types.js';
import { BenchUsageError } from '../errors/bench-errors.js';
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

  it("gives a pruner the model's prunerSparsities for it instead of the model's sparsities", () => {
    const { cells } = expandGrid({
      models: [{ id: 'm', architecture: 'clip', sparsities: [0.5], prunerSparsities: { magnitude: [0.5, 0.63, 0.9], other: [0.1] } }, { id: 'n', architecture: 'clip' }],
      pruners: [random!, magnitude!],
      sparsities: [0.75],
      compressions: [],
      seeds: [0],
    });
    expect(cells.map((c) => `${c.modelId} ${c.prunerId} ${c.sparsity}`)).toEqual(['m dense 0', 'm random 0.5', 'm magnitude 0.5', 'm magnitude 0.63', 'm magnitude 0.9', 'n dense 0', 'n random 0.75', 'n magnitude 0.75']);
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

describe('expandGrid with per-model grids', () => {
  const structured = headsAndNeuronsPruner();
  const cellsOf = (cells: ReturnType<typeof expandGrid>['cells']) => cells.map((c) => [c.modelId, c.prunerId, c.sparsity, c.compression ?? null, c.seed]);

  it("replaces the grid's pruners, sparsities and compressions for the model that gives them, and only for it", () => {
    const { cells, skipped } = expandGrid({
      models: [
        { id: 'a', architecture: 'clip' },
        { id: 'b', architecture: 'blip-itm', pruners: ['magnitude', 'test-structured'], sparsities: [0.9], compressions: [4] },
        { id: 'c', architecture: 'clip', sparsities: [] },
      ],
      pruners: [random!, magnitude!, structured],
      sparsities: [0.5, 0.75],
      compressions: [2, 4],
      seeds: [0, 1],
    });
    expect(cellsOf(cells)).toEqual([
      ['a', 'dense', 0, null, 0],
      ['a', 'random', 0.5, null, 0],
      ['a', 'random', 0.5, null, 1],
      ['a', 'random', 0.75, null, 0],
      ['a', 'random', 0.75, null, 1],
      ['a', 'magnitude', 0.5, null, 0],
      ['a', 'magnitude', 0.5, null, 1],
      ['a', 'magnitude', 0.75, null, 0],
      ['a', 'magnitude', 0.75, null, 1],
      ['a', 'test-structured', 0.5, 2, 0],
      ['a', 'test-structured', 0.5, 2, 1],
      ['a', 'test-structured', 0.75, 4, 0],
      ['a', 'test-structured', 0.75, 4, 1],
      ['b', 'dense', 0, null, 0],
      ['b', 'magnitude', 0.9, null, 0],
      ['b', 'magnitude', 0.9, null, 1],
      ['b', 'test-structured', 0.75, 4, 0],
      ['b', 'test-structured', 0.75, 4, 1],
      ['c', 'dense', 0, null, 0],
      ['c', 'test-structured', 0.5, 2, 0],
      ['c', 'test-structured', 0.5, 2, 1],
      ['c', 'test-structured', 0.75, 4, 0],
      ['c', 'test-structured', 0.75, 4, 1],
    ]);
    expect(skipped).toEqual([{ modelId: 'b', prunerId: 'random', reason: "not in the model's grid (its pruners setting)" }]);
  });
});

describe('planCells', () => {
  const [rand, mag] = baselinePruners();
  const pruners = new Map([
    ['random', { pruner: rand!, config: { scope: 'global' } }],
    ['magnitude', { pruner: mag!, config: { scope: 'layer' } }],
    ['test-structured', { pruner: headsAndNeuronsPruner(), config: {} }],
  ]);
  const clip: SuiteModel = { id: 'clip-a', model: { kind: 'fixture', path: 'clip-tiny' }, tasks: ['zero-shot', 'retrieval'] };
  const suiteWith = (models: SuiteModel[]) =>
    defineSuite({
      id: 'keys',
      description: 'fixed key list',
      models,
      pruners: ['random', 'magnitude', 'test-structured'],
      sparsities: [0.5, 0.75],
      compressions: [2, 4],
      seeds: [0, 1],
      calibration: { batches: 2, batchSize: 8 },
      evaluation: { count: 16, batchSize: 64 },
      recovery: { steps: 2, batchSize: 4, learningRate: 1e-4, warmupSteps: 0, images: 8 },
    });
  const planned = (m: SuiteModel): PlanCellsModel => ({ suiteModel: m, architecture: 'clip', sha256: 'a'.repeat(64), evalHashes: { 'zero-shot': 'b'.repeat(64), retrieval: 'c'.repeat(64) } });
  const plan = (models: SuiteModel[]) => planCells({ suite: suiteWith(models), models: suiteWith(models).models.map(planned), pruners, dataId: 'shapes-vl:seed=0', engine: 'onnx', backend: 'wasm' });
  const rows = (cells: ReturnType<typeof plan>['cells'], modelId: string) => cells.filter((c) => c.cell.modelId === modelId).map((c) => [c.cell.prunerId, c.cell.sparsity, c.cell.compression ?? null, c.cell.seed, c.key]);
  // Computed with the code before per-model grids existed (expandGrid + cellKey as prepareRun
  // called them) for the model "clip-a" of this suite: a model without overrides keeps these keys.
  const BEFORE = [
    ['dense', 0, null, 0, '42bc4db0a20c32dc'],
    ['random', 0.5, null, 0, '0465606eb428a0eb'],
    ['random', 0.5, null, 1, '77419a4f9b7d47f5'],
    ['random', 0.75, null, 0, '9a77bb5c149a7885'],
    ['random', 0.75, null, 1, '1d286585b214709d'],
    ['magnitude', 0.5, null, 0, '34b8166993cd54fe'],
    ['magnitude', 0.5, null, 1, 'c361a69994b743fa'],
    ['magnitude', 0.75, null, 0, '7cc110d6ea175bc3'],
    ['magnitude', 0.75, null, 1, '9d499f4dc6adc0d9'],
    ['test-structured', 0.5, 2, 0, '24db1bd77919bafd'],
    ['test-structured', 0.5, 2, 1, '0c4b43d391a187d3'],
    ['test-structured', 0.75, 4, 0, 'e1b4b36b6df9117a'],
    ['test-structured', 0.75, 4, 1, 'bd257adad9a7bfc1'],
  ];

  it('keeps the cells and keys of a model without overrides, next to a model with them', () => {
    expect(rows(plan([clip]).cells, 'clip-a')).toEqual(BEFORE);
    const other: SuiteModel = { ...clip, id: 'clip-b', pruners: { exclude: ['random'] }, sparsities: [0.5], compressions: [2], evaluation: { count: 8, batchSize: 64 }, recovery: false };
    const { cells, skipped } = plan([clip, other]);
    expect(rows(cells, 'clip-a')).toEqual(BEFORE);
    expect(rows(cells, 'clip-b').map((r) => r.slice(0, 4))).toEqual([
      ['dense', 0, null, 0],
      ['magnitude', 0.5, null, 0],
      ['magnitude', 0.5, null, 1],
      ['test-structured', 0.5, 2, 0],
      ['test-structured', 0.5, 2, 1],
    ]);
    expect(skipped).toEqual([{ modelId: 'clip-b', prunerId: 'random', reason: "not in the model's grid (its pruners setting)" }]);
  });

  it('enters overrides in the key exactly as the suite-level values: unchanged settings, unchanged keys', () => {
    const keysOf = (m: SuiteModel) => rows(plan([m]).cells, m.id).map((r) => r[4]);
    const before = BEFORE.map((r) => r[4]);
    const suite = suiteWith([clip]);
    // overrides equal to the suite's values (or a pruner list naming all of them) change nothing
    expect(keysOf({ ...clip, pruners: ['random', 'magnitude', 'test-structured'], sparsities: [0.5, 0.75], compressions: [2, 4], evaluation: { ...suite.evaluation }, recovery: suite.recovery && { ...suite.recovery } })).toEqual(before);
    // recovery settings: every pruned cell changes, the dense cell (no recovery) keeps its key
    const noRecovery = keysOf({ ...clip, recovery: false });
    expect(noRecovery[0]).toBe(before[0]);
    for (let i = 1; i < before.length; i++) expect(noRecovery[i]).not.toBe(before[i]);
    // evaluation settings: every cell changes, dense included
    const smallerEval = keysOf({ ...clip, evaluation: { count: 8, batchSize: 64 } });
    for (let i = 0; i < before.length; i++) expect(smallerEval[i]).not.toBe(before[i]);
    // a sparsity subset keeps the keys of the cells it keeps
    expect(rows(plan([{ ...clip, sparsities: [0.75] }]).cells, 'clip-a')).toEqual(BEFORE.filter((r) => (r[0] !== 'random' && r[0] !== 'magnitude') || r[1] === 0.75));
  });

  it("rejects a model's pruner list naming a pruner the run does not have", () => {
    const installed = defineSuite({ ...suiteWith([clip]), pruners: 'installed', models: [{ ...clip, pruners: ['random', 'wanda'] }] });
    let error: unknown;
    try {
      planCells({ suite: installed, models: installed.models.map(planned), pruners, dataId: 'd', engine: 'onnx', backend: 'wasm' });
    } catch (e) {
      error = e;
    }
    expect(BenchUsageError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/Model "clip-a" of suite "keys" lists pruner "wanda", not among the run's pruners \(random, magnitude, test-structured\)/);
    // an exclusion of a pruner that is not installed is ignored
    const excluding = defineSuite({ ...installed, models: [{ ...clip, pruners: { exclude: ['wanda', 'random'] } }] });
    const { cells } = planCells({ suite: excluding, models: excluding.models.map(planned), pruners, dataId: 'd', engine: 'onnx', backend: 'wasm' });
    expect([...new Set(cells.map((c) => c.cell.prunerId))]).toEqual(['dense', 'magnitude', 'test-structured']);
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
