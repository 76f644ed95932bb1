import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PruneEvent } from '../contract/events.js';
import type { PruneResult } from '../contract/pruner.js';
import { VlpError } from '../errors/index.js';
import { createRng } from '../rng/index.js';
import { prune } from './prune.js';
import { CAPABILITIES, fakeView, firstEntriesPruner } from './test-fixtures.js';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});

let view: ReturnType<typeof fakeView>;
beforeEach(() => {
  view = fakeView();
});
afterEach(() => view.dispose());

const request = { sparsity: 0.5, seed: 7 };
const returning = (result: PruneResult, more: Parameters<typeof firstEntriesPruner>[0] = {}) =>
  firstEntriesPruner({ prune: async () => result, ...more });
const mask = (...values: number[]) => Uint8Array.from(values);
const half = (n: number) => new Uint8Array(n).fill(1).fill(0, 0, n / 2);

async function errorOf(run: () => Promise<unknown>): Promise<VlpError> {
  const error = await run().then(() => undefined, (e: unknown) => e);
  expect(VlpError.isInstance(error)).toBe(true);
  return error as VlpError;
}

describe('prune() run and report', () => {
  it('emits prune-start first and prune-end last, and reports the run', async () => {
    const events: PruneEvent[] = [];
    const report = await prune(firstEntriesPruner(), view, request, { onEvent: (e) => events.push(e) });
    expect(events[0]).toEqual({ type: 'prune-start', pruner: 'first-entries', sparsity: 0.5 });
    expect(events.at(-1)).toMatchObject({ type: 'prune-end', realisedSparsity: 0.5 });
    expect(events.map((e) => e.type).slice(1, 3)).toEqual(['unit-score-start', 'unit-score-end']);
    expect(report.events).toBe(events.length);
    expect(report.pruner).toEqual({ id: 'first-entries', version: '1.0.0' });
    expect(report.request).toEqual(request);
    expect(report.sparsity.total).toEqual({ numel: 40, pruned: 20, sparsity: 0.5 });
    expect(report.sparsity.perUnit.map((u) => u.target)).toEqual([0.5, 0.5, 0.5]);
    expect(report.tolerance).toBe(0.01);
    expect(report.timings.total).toBeGreaterThanOrEqual(report.timings.prune);
    expect(report.backend).toBe('cpu');
    expect(report.applied).toBe(true);
    expect(view.applied).toHaveLength(1);
    expect([...view.applied[0].keys()]).toEqual(view.units.map((u) => u.name));
  });

  it('hands the pruner an rng seeded from request.seed and split by its id, and the backend', async () => {
    let draw = -1;
    let backend = '';
    const pruner = firstEntriesPruner({
      prune: async (v, r, ctx) => {
        draw = ctx.rng.nextUint32();
        backend = ctx.backend;
        return { masks: new Map(v.units.map((u) => [u.name, half(u.shape[0] * u.shape[1])])) };
      },
    });
    await prune(pruner, view, request, { backend: 'wasm' });
    expect(draw).toBe(createRng(7).split('first-entries').nextUint32());
    expect(backend).toBe('wasm');
  });

  it('does not touch the view with apply: false', async () => {
    const report = await prune(firstEntriesPruner(), view, request, { apply: false });
    expect(report.applied).toBe(false);
    expect(view.applied).toEqual([]);
  });

  it('sets updated weights before applying the masks, so pruned entries stay zero', async () => {
    const order: string[] = [];
    view.applyMasks = () => void order.push('masks');
    view.setWeights = () => void order.push('weights');
    const masks = new Map(view.units.map((u) => [u.name, half(u.shape[0] * u.shape[1])]));
    await prune(returning({ masks, weights: new Map([['t.0.fc1.weight', new Float32Array(8)]]) }), view, request);
    expect(order).toEqual(['weights', 'masks']);
  });

  it('refuses updated weights on a view without setWeights()', async () => {
    delete (view as { setWeights?: unknown }).setWeights;
    const masks = new Map(view.units.map((u) => [u.name, half(u.shape[0] * u.shape[1])]));
    const error = await errorOf(() => prune(returning({ masks, weights: new Map([['t.0.fc1.weight', new Float32Array(8)]]) }), view, request));
    expect(error.code).toBe('VLP_NOT_SUPPORTED');
  });

  it('restricts the report and the sparsity check to the request scope', async () => {
    const report = await prune(firstEntriesPruner(), view, { ...request, scope: { modalities: ['text'] } });
    expect(report.sparsity.perUnit.map((u) => u.unit)).toEqual(['t.0.fc1.weight']);
    expect(report.sparsity.total.sparsity).toBe(0.5);
  });

  it('counts units without a mask as dense', async () => {
    const masks = new Map([['v.0.q.weight', new Uint8Array(16)], ['v.0.out.weight', mask(...new Array(16).fill(1).fill(0, 0, 4))]]);
    const report = await prune(returning({ masks }), view, request);
    expect(report.sparsity.total).toEqual({ numel: 40, pruned: 20, sparsity: 0.5 });
  });
});

describe('prune() result verification', () => {
  it('throws VLP_SPARSITY_MISMATCH naming requested and realised sparsity and the pruner', async () => {
    const masks = new Map(view.units.map((u) => [u.name, new Uint8Array(u.shape[0] * u.shape[1]).fill(1).fill(0, 0, 3)]));
    const error = await errorOf(() => prune(returning({ masks }), view, request));
    expect(error.code).toBe('VLP_SPARSITY_MISMATCH');
    expect(error.message).toMatch(/Pruner "first-entries" realised sparsity 0\.2250 .* but 0\.5 was requested \(tolerance ±0\.01\)/);
    expect(error.expected).toBe(0.5);
    expect(error.actual).toBeCloseTo(0.225);
    expect(view.applied).toEqual([]);
  });

  it('accepts the mismatch within options.tolerance or capabilities.sparsityTolerance', async () => {
    const masks = new Map(view.units.map((u) => [u.name, new Uint8Array(u.shape[0] * u.shape[1]).fill(1).fill(0, 0, 3)]));
    await expect(prune(returning({ masks }), view, request, { tolerance: 0.3 })).resolves.toMatchObject({ tolerance: 0.3 });
    const lax = returning({ masks }, { capabilities: { ...CAPABILITIES, sparsityTolerance: 0.3 } });
    await expect(prune(lax, view, request)).resolves.toMatchObject({ tolerance: 0.3 });
  });

  it.each([
    ['no masks', {}, 'VLP_INVALID_ARGUMENT', /unstructured pruner must return `masks`/],
    ['an unknown unit', { masks: new Map([['nope', mask(0)]]) }, 'VLP_INVALID_ARGUMENT', /mask for unknown unit "nope"/],
    ['a wrong length', { masks: new Map([['t.0.fc1.weight', mask(0, 1)]]) }, 'VLP_SHAPE_MISMATCH', /2 entries for "t.0.fc1.weight", whose weight is \[2, 4\] = 8/],
    ['a value other than 0/1', { masks: new Map([['t.0.fc1.weight', mask(0, 2, 1, 1, 1, 1, 1, 1)]]) }, 'VLP_INVALID_ARGUMENT', /holds 2 at index 1/],
    ['a plain array', { masks: new Map([['t.0.fc1.weight', [0, 1] as never]]) }, 'VLP_INVALID_ARGUMENT', /must be a Uint8Array/],
    ['bad weights', { masks: new Map(), weights: new Map([['t.0.fc1.weight', new Float32Array(3)]]) }, 'VLP_SHAPE_MISMATCH', /not a Float32Array of 8 values/],
  ])('rejects a result with %s', async (_, result, code, pattern) => {
    const error = await errorOf(() => prune(returning(result as PruneResult), view, request, { tolerance: 1 }));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(pattern);
  });

  it('rejects per-unit targets outside [0, 1] before applying anything', async () => {
    const masks = new Map(view.units.map((u) => [u.name, half(u.shape[0] * u.shape[1])]));
    const error = await errorOf(() => prune(returning({ masks, targets: new Map([['v.0.q.weight', 1.5]]) }), view, request));
    expect(error.code).toBe('VLP_INVALID_ARGUMENT');
    expect(error.message).toMatch(/target sparsity of "v.0.q.weight" must be in \[0, 1\]/);
    expect(view.applied).toEqual([]);
  });

  it('rejects pruning outside the request scope', async () => {
    const masks = new Map([['t.0.fc1.weight', half(8)], ['v.0.q.weight', new Uint8Array(16)]]);
    const error = await errorOf(() => prune(returning({ masks }), view, { ...request, scope: { modalities: ['text'] } }));
    expect(error.message).toMatch(/prunes "v.0.q.weight", which is outside the request's scope/);
  });

  it('converts a structured pruner structure mask into unit masks', async () => {
    const structured = returning(
      { structureMask: { removed: ['vision.0.attn.head.0'] } },
      { capabilities: { ...CAPABILITIES, granularity: 'structured', structures: ['head'] } },
    );
    const report = await prune(structured, view, { sparsity: 0.4, seed: 0 });
    expect(report.tolerance).toBe(0.05);
    expect(report.structureMask).toEqual({ removed: ['vision.0.attn.head.0'] });
    expect([...report.masks.get('v.0.q.weight')!]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(report.sparsity.total.sparsity).toBe(0.4);
    expect(view.applied[0]).toBe(report.masks);
    const missing = await errorOf(() => prune(returning({}, { capabilities: structured.capabilities }), view, request));
    expect(missing.message).toMatch(/structured pruner must return `structureMask/);
  });
});
