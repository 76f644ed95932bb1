import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PruneEvent } from '../contract/events.js';
import { InvalidConfigError, VlpError } from '../errors/index.js';
import { prune } from './prune.js';
import { fakeView, firstEntriesPruner } from './test-fixtures.js';
import { issuePath } from './validate.js';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});

let view: ReturnType<typeof fakeView>;
beforeEach(() => {
  view = fakeView();
});
afterEach(() => view.dispose());

async function issuesOf(run: () => Promise<unknown>): Promise<{ paths: PropertyKey[][]; message: string }> {
  const error = await run().then(() => undefined, (e: unknown) => e);
  expect(InvalidConfigError.isInstance(error)).toBe(true);
  expect((error as VlpError).code).toBe('VLP_INVALID_CONFIG');
  return { paths: (error as InvalidConfigError).issues.map(issuePath), message: (error as Error).message };
}

describe('prune() request validation', () => {
  it.each([
    [{ sparsity: 1, seed: 0 }, [['sparsity']]],
    [{ sparsity: -0.1, seed: 0 }, [['sparsity']]],
    [{ sparsity: Number.NaN, seed: 0 }, [['sparsity']]],
    [{ sparsity: '0.5', seed: 0 }, [['sparsity']]],
    [{ sparsity: 0.5, seed: 1.5 }, [['seed']]],
    [{ sparsity: 0.5, seed: -1 }, [['seed']]],
    [{ sparsity: 0.5 }, [['seed']]],
    [{ sparsity: 2, seed: 'x' }, [['sparsity'], ['seed']]],
    [{ sparsity: 0.5, seed: 0, scope: { modalities: [] } }, [['scope', 'modalities']]],
    [{ sparsity: 0.5, seed: 0, scope: { modalities: ['audio'] } }, [['scope', 'modalities', 0]]],
    [{ sparsity: 0.5, seed: 0, scope: { modalities: ['vision', 'fusion'] } }, [['scope', 'modalities', 1]]],
    [{ sparsity: 0.5, seed: 0, scope: { modalities: ['text', 'text'] } }, [['scope', 'modalities', 1]]],
  ])('rejects %j with issues at %j', async (request, paths) => {
    const result = await issuesOf(() => prune(firstEntriesPruner(), view, request as never));
    expect(result.paths).toEqual(paths);
    expect(result.message).toMatch(/^Invalid prune request/);
  });

  it('rejects a request that is not an object', async () => {
    expect((await issuesOf(() => prune(firstEntriesPruner(), view, null as never))).paths).toEqual([[]]);
  });

  it('rejects malformed options with their paths', async () => {
    const result = await issuesOf(() =>
      prune(firstEntriesPruner(), view, { sparsity: 0.5, seed: 0 }, { tolerance: 2, apply: 'yes', onEvent: 1 } as never),
    );
    expect(result.paths).toEqual([['tolerance'], ['apply'], ['onEvent']]);
  });
});

describe('prune() config validation', () => {
  it('parses the config once and hands the output to the pruner', async () => {
    const report = await prune(firstEntriesPruner(), view, { sparsity: 0.5, seed: 0 }, { config: { offset: 3 } });
    expect(report.config).toEqual({ offset: 3 });
    expect(report.notes).toEqual(['offset 3']);
  });

  it('treats an omitted config as {} (all defaults)', async () => {
    expect((await prune(firstEntriesPruner(), view, { sparsity: 0.5, seed: 0 })).config).toEqual({ offset: 0 });
  });

  it('rejects an invalid config with VLP_INVALID_CONFIG listing each issue path, before any event', async () => {
    const events: PruneEvent[] = [];
    const result = await issuesOf(() =>
      prune(firstEntriesPruner(), view, { sparsity: 0.5, seed: 0 }, { config: { offset: 'x', bogus: true }, onEvent: (e: PruneEvent) => events.push(e) } as never),
    );
    expect(result.paths).toEqual([['offset'], ['bogus']]);
    expect(result.message).toMatch(/config of pruner "first-entries".*offset: expected an integer.*bogus: unknown key/s);
    expect(events).toEqual([]);
    expect(view.applied).toEqual([]);
  });

  it('rejects a pruner object that was not made by definePruner', async () => {
    const error = await prune((() => firstEntriesPruner()) as never, view, { sparsity: 0.5, seed: 0 }).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(/pass the result of the factory/);
  });
});
