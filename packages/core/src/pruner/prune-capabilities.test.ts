import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PrunerCapabilities } from '../contract/pruner.js';
import { VlpError } from '../errors/index.js';
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

const request = { sparsity: 0.5, seed: 0 };
const withRequires = (requires: Partial<PrunerCapabilities['requires']>, more: Partial<PrunerCapabilities> = {}) =>
  firstEntriesPruner({ capabilities: { ...CAPABILITIES, ...more, requires: { ...CAPABILITIES.requires, ...requires } } });

async function errorOf(run: () => Promise<unknown>): Promise<VlpError> {
  const error = await run().then(() => undefined, (e: unknown) => e);
  expect(VlpError.isInstance(error)).toBe(true);
  return error as VlpError;
}

describe('prune() capability checks', () => {
  it('names the view architecture and the supported ones', async () => {
    const pruner = firstEntriesPruner({ capabilities: { ...CAPABILITIES, architectures: ['clip', 'blip-itm'] } });
    const error = await errorOf(() => prune(pruner, view, request));
    expect(error.code).toBe('VLP_UNSUPPORTED_ARCHITECTURE');
    expect(error.message).toMatch(/does not support architecture "fake"; it supports clip, blip-itm/);
    await expect(prune(pruner, fakeViewOf('clip'), request)).resolves.toBeDefined();
  });

  it('asks for calibration data, saying how to pass it', async () => {
    const error = await errorOf(() => prune(withRequires({ calibration: true }), view, request));
    expect(error.code).toBe('VLP_CALIBRATION_REQUIRED');
    expect(error.message).toMatch(/needs calibration data.*\{ calibration:/s);
    const calibration = { batches: async function* () {} };
    await expect(prune(withRequires({ calibration: true }), view, request, { calibration })).resolves.toBeDefined();
  });

  it.each(['gradients', 'training'] as const)('asks for a task loss when the pruner needs %s', async (need) => {
    const pruner = withRequires({ [need]: true });
    const noTask = await errorOf(() => prune(pruner, view, request));
    expect(noTask.code).toBe('VLP_CALIBRATION_REQUIRED');
    expect(noTask.message).toMatch(/no task was given.*\{ task \}/s);
    const noLoss = await errorOf(() => prune(pruner, view, request, { task: { id: 'retrieval' } }));
    expect(noLoss.message).toMatch(/task "retrieval" has no `loss`/);
    const task = { id: 't', loss: () => tf.scalar(0) };
    await expect(prune(pruner, view, request, { task })).resolves.toBeDefined();
  });

  it('asks for a task evaluator', async () => {
    const error = await errorOf(() => prune(withRequires({ evaluator: true }), view, request, { task: { id: 'zs' } }));
    expect(error.code).toBe('VLP_CALIBRATION_REQUIRED');
    expect(error.message).toMatch(/needs a task evaluator and task "zs" has no `evaluate`/);
  });

  it('rejects a scope with no units in the view', async () => {
    const visionOnly = firstEntriesPruner({ capabilities: { ...CAPABILITIES, modalities: ['fusion'] } });
    const error = await errorOf(() => prune(visionOnly, view, request));
    expect(error.code).toBe('VLP_INVALID_ARGUMENT');
    expect(error.message).toMatch(/No prunable units in scope.*fusion.*vision, text/s);
  });
});

function fakeViewOf(architecture: string) {
  view.dispose();
  view = fakeView(architecture);
  return view;
}
