import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PruneEvent } from '../contract/events.js';
import { AbortedError, VlpError } from '../errors/index.js';
import { prune } from './prune.js';
import { fakeView, firstEntriesPruner } from './test-fixtures.js';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});

let view: ReturnType<typeof fakeView>;
beforeEach(() => {
  view = fakeView();
});
afterEach(() => view.dispose());

const request = { sparsity: 0.5, seed: 0 };

async function abortedError(run: () => Promise<unknown>): Promise<VlpError> {
  const error = await run().then(() => undefined, (e: unknown) => e);
  expect(AbortedError.isInstance(error)).toBe(true);
  expect((error as VlpError).code).toBe('VLP_ABORTED');
  return error as VlpError;
}

describe('prune() cancellation', () => {
  it('rejects an already-aborted signal before validating or starting', async () => {
    let called = false;
    const pruner = firstEntriesPruner({ prune: async () => ((called = true), { masks: new Map() }) });
    const events: PruneEvent[] = [];
    const error = await abortedError(() =>
      prune(pruner, view, request, { signal: AbortSignal.abort('user cancelled'), onEvent: (e) => events.push(e) }),
    );
    expect(error.message).toMatch(/user cancelled/);
    expect(called).toBe(false);
    expect(events).toEqual([]);
  });

  it('stops a run aborted mid-way: no prune-end, nothing applied', async () => {
    const controller = new AbortController();
    const events: PruneEvent[] = [];
    const onEvent = (e: PruneEvent) => {
      events.push(e);
      if (e.type === 'unit-score-end') controller.abort();
    };
    const error = await abortedError(() => prune(firstEntriesPruner(), view, request, { signal: controller.signal, onEvent }));
    expect(error.message).toMatch(/v\.0\.out\.weight/);
    expect(events.map((e) => e.type)).toEqual(['prune-start', 'unit-score-start', 'unit-score-end']);
    expect(view.applied).toEqual([]);
  });

  it('still rejects when a pruner ignores the signal and returns', async () => {
    const controller = new AbortController();
    const pruner = firstEntriesPruner({
      prune: async (v) => {
        controller.abort();
        return { masks: new Map(v.units.map((u) => [u.name, new Uint8Array(u.shape[0] * u.shape[1]).fill(1).fill(0, 0, (u.shape[0] * u.shape[1]) / 2)])) };
      },
    });
    const error = await abortedError(() => prune(pruner, view, request, { signal: controller.signal }));
    expect(error.message).toMatch(/pruner "first-entries"/);
    expect(view.applied).toEqual([]);
  });

  it('turns the platform AbortError of signal.throwIfAborted() into VLP_ABORTED', async () => {
    const controller = new AbortController();
    const pruner = firstEntriesPruner({
      prune: async (_, __, ctx) => {
        controller.abort();
        ctx.signal.throwIfAborted();
        return { masks: new Map() };
      },
    });
    const error = await abortedError(() => prune(pruner, view, request, { signal: controller.signal }));
    expect((error as Error).cause).toBe(controller.signal.reason);
  });

  it('lets other errors of an aborted run through unchanged', async () => {
    const controller = new AbortController();
    const bug = new TypeError('boom');
    const pruner = firstEntriesPruner({
      prune: async () => {
        controller.abort();
        throw bug;
      },
    });
    await expect(prune(pruner, view, request, { signal: controller.signal })).rejects.toBe(bug);
  });
});
