import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { VlpError } from '../errors/vlp-error.js';
import type { BackendCandidate, BackendId } from './candidates.js';
import { findNativeAddon } from './candidates.js';
import { initBackend } from './init-backend.js';

function fake(id: BackendId, reason: string | undefined, log: string[], fail = false): BackendCandidate {
  return {
    id,
    unavailableReason: () => reason,
    async activate() {
      log.push(id);
      if (fail) throw new Error(`${id} exploded`);
      return `${id}-name`;
    },
  };
}

describe('initBackend', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('tries gpu, node, wasm, cpu in order and takes the first that loads', async () => {
    const log: string[] = [];
    const info = await initBackend({
      env: {},
      candidates: [
        fake('tfjs-node-gpu', 'not installed', log),
        fake('tfjs-node', 'addon missing', log),
        fake('wasm', undefined, log),
        fake('cpu', undefined, log),
      ],
    });
    expect(info.id).toBe('wasm');
    expect(log).toEqual(['wasm']);
    expect(info.skipped).toEqual([
      { id: 'tfjs-node-gpu', reason: 'not installed' },
      { id: 'tfjs-node', reason: 'addon missing' },
    ]);
  });

  it('falls back to the next candidate when activation throws', async () => {
    const log: string[] = [];
    const info = await initBackend({
      env: {},
      candidates: [fake('tfjs-node', undefined, log, true), fake('wasm', undefined, log, true), fake('cpu', undefined, log)],
    });
    expect(info.id).toBe('cpu');
    expect(log).toEqual(['tfjs-node', 'wasm', 'cpu']);
    expect(info.skipped.map((s) => s.reason)).toEqual(['tfjs-node exploded', 'wasm exploded']);
  });

  it('VLP_BACKEND overrides the option', async () => {
    const log: string[] = [];
    const candidates = [fake('wasm', undefined, log), fake('cpu', undefined, log)];
    const info = await initBackend({ backend: 'wasm', env: { VLP_BACKEND: 'cpu' }, candidates });
    expect(info).toMatchObject({ id: 'cpu', requested: 'cpu' });
    expect(log).toEqual(['cpu']);
  });

  it('an explicit backend that cannot load is an error, not a silent fallback', async () => {
    const candidates = [fake('tfjs-node', 'addon missing', []), fake('cpu', undefined, [])];
    const error = await initBackend({ backend: 'tfjs-node', env: {}, candidates }).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_BACKEND_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain('tfjs-node: addon missing');
  });

  it('rejects an unknown VLP_BACKEND naming the allowed values', async () => {
    const error = await initBackend({ env: { VLP_BACKEND: 'webgpu' } }).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(/webgpu.*VLP_BACKEND.*auto, tfjs-node-gpu, tfjs-node, wasm, cpu/);
  });

  it('on this machine auto skips the native backends and activates wasm from the installed package', async () => {
    const info = await initBackend({ env: {} });
    expect(info.id).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.skipped.map((s) => s.id)).toEqual(['tfjs-node-gpu', 'tfjs-node']);
    // gradients and chained ops are registered
    const x = tf.tensor1d([1, 2, 3]);
    const grad = tf.grad((v: tf.Tensor) => v.square().sum())(x);
    expect(Array.from(grad.dataSync())).toEqual([2, 4, 6]);
    tf.dispose([x, grad]);
  });

  it('explicit cpu activates the cpu backend', async () => {
    const info = await initBackend({ backend: 'cpu', env: {} });
    expect(info).toMatchObject({ id: 'cpu', name: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('findNativeAddon', () => {
  it('finds lib/napi-v*/tfjs_binding.node and nothing else', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vlp-addon-'));
    expect(findNativeAddon(dir)).toBeUndefined();
    mkdirSync(path.join(dir, 'lib', 'napi-v8'), { recursive: true });
    expect(findNativeAddon(dir)).toBeUndefined();
    writeFileSync(path.join(dir, 'lib', 'napi-v8', 'tfjs_binding.node'), '');
    expect(findNativeAddon(dir)).toBe(path.join(dir, 'lib', 'napi-v8', 'tfjs_binding.node'));
  });
});
