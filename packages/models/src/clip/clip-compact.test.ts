import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, initBackend, VlpError, type Structure } from '@vlp/core';
import { loadModel } from '../load-model.js';
import { HF_FIXTURES, readReference, relativeError } from '../testing/fixtures.js';
import { gatesForMask } from '../view/structure-plan.js';
import { compactClip } from './clip-compact.js';
import type { ClipModel } from './clip-model.js';
import { type ClipBatch, clipView } from './clip-view.js';

const dir = path.join(HF_FIXTURES, 'clip-tiny');

/** A seeded random selection: `fraction` of each kind per block, never emptying a module. */
function randomRemoval(structures: readonly Structure[], seed: number, layers: string[]): string[] {
  const rng = createRng(seed);
  const removed: string[] = [];
  const byGroup = new Map<string, Structure[]>();
  for (const s of structures) if (s.kind !== 'layer') byGroup.set(s.gate.group, [...(byGroup.get(s.gate.group) ?? []), s]);
  for (const group of byGroup.values()) {
    const order = rng.permutation(group.length);
    const count = Math.floor(group.length * (0.2 + 0.5 * rng.nextFloat()));
    for (let i = 0; i < Math.min(count, group.length - 1); i++) removed.push((group[order[i] as number] as Structure).id);
  }
  return [...removed, ...layers];
}

describe('compactClip', () => {
  let model: ClipModel;
  let inputs: Map<string, tf.Tensor>;
  let batch: ClipBatch;
  beforeAll(async () => {
    await initBackend();
    model = (await loadModel(dir)) as ClipModel;
    inputs = await readReference(path.join(dir, 'reference/inputs.safetensors'));
    batch = { pixelValues: inputs.get('pixel_values') as tf.Tensor, inputIds: inputs.get('input_ids') as tf.Tensor, attentionMask: inputs.get('attention_mask') as tf.Tensor };
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose([...inputs.values()]);
  });

  for (const [seed, layers] of [
    [1, []],
    [2, ['vision.1.layer', 'text.0.layer']],
    [3, ['vision.2.layer']],
  ] as const) {
    it(`outputs equal the gated model's within 1e-5 on both engines (seed ${seed}, layers removed: ${layers.join(', ') || 'none'})`, async () => {
      const view = clipView(model);
      const removed = randomRemoval(view.structures, seed, [...layers]);
      const gates = Object.fromEntries([...gatesForMask(view.structures, { removed })].map(([g, v]) => [g, tf.tensor1d(v)]));
      const compact = compactClip(model, { removed });
      const compactView = clipView(compact);
      expect(compactView.units.length).toBe(view.units.length - 6 * layers.length);
      const removedParams = view.structures.filter((s) => removed.includes(s.id) && s.kind !== 'head-channel').length;
      expect(removedParams).toBeGreaterThan(0);
      expect(compact.params.size()).toBeLessThan(model.params.size());
      for (const engine of ['onnx', 'tfjs'] as const) {
        const gated = await view.run(batch, { gates: gates as Record<string, tf.Tensor1D>, engine });
        const small = await compactView.run(batch, { engine });
        for (const name of ['image_embeds', 'text_embeds', 'logits_per_image', 'vision_model.last_hidden_state', 'text_model.last_hidden_state']) {
          expect(relativeError(small.outputs[name] as tf.Tensor, gated.outputs[name] as tf.Tensor), `${engine}: ${name}`).toBeLessThanOrEqual(1e-5);
        }
        gated.dispose();
        small.dispose();
      }
      tf.dispose(Object.values(gates));
      await compact.dispose();
    });
  }

  it('refuses to empty a module and names the layer structure to remove instead', () => {
    const heads = clipView(model).structures.filter((s) => s.gate.group === 'vision.0.attn.heads').map((s) => s.id);
    let error: unknown;
    try {
      compactClip(model, { removed: heads });
    } catch (e) {
      error = e;
    }
    expect(VlpError.isInstance(error, 'VLP_NOT_SUPPORTED')).toBe(true);
    expect((error as Error).message).toContain('vision.0.layer');
  });

  it('rejects unknown structure ids', () => {
    expect(() => compactClip(model, { removed: ['vision.9.attn.head.0'] })).toThrowError(/does not exist/);
  });
});
