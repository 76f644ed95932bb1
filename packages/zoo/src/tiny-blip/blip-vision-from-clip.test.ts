import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, VlpError } from '@vlp/core';
import { shapesVLSample } from '@vlp/data';
import { type BlipModel, type ClipModel, createRandomBlip, describeClipVision } from '@vlp/models';
import { loadEmbeddedModel } from '../embedded-models.js';
import { blipVisionFromClip } from './blip-vision-from-clip.js';
import { distilBlipVision } from './distil-blip-vision.js';
import { tinyBlipConfig } from './tiny-blip-config.js';

/** tiny-clip's vision geometry (the `clip-vision` recipe's BLIP config). */
const CLIP_VISION = { patchSize: 8, quickGelu: true };

/** CLIP's vision hidden states (`vision_model.hidden_states.i`, i = 0 is after pre_layrnorm) on tfjs. */
async function clipHidden(clip: ClipModel, pixels: tf.Tensor): Promise<tf.Tensor[]> {
  const { outputs } = await clip.runner.run({ key: 'clip:vision:hs-test', describe: (ctx) => void describeClipVision(ctx, clip.config, clip.arch), options: { hiddenStates: true }, feeds: { pixel_values: pixels }, engine: 'tfjs' });
  const hidden = [0, 1, 2, 3, 4].map((i) => outputs[`vision_model.hidden_states.${i}`] as tf.Tensor);
  for (const t of Object.values(outputs)) if (!hidden.includes(t)) t.dispose();
  return hidden;
}

describe('BLIP vision tower from tiny-clip', () => {
  let clip: ClipModel;
  let blip: BlipModel;
  let fit: tf.Tensor;
  let tmp: string;
  beforeAll(async () => {
    await initBackend();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'vlp-zoo-vision-'));
    clip = (await loadEmbeddedModel('tiny-clip')) as ClipModel;
    blip = createRandomBlip('BlipForImageTextRetrieval', tinyBlipConfig('tiny-blip-itm', CLIP_VISION), 0);
    const px = clip.imageProcessor?.preprocess(Array.from({ length: 40 }, (_, i) => shapesVLSample(0, 'train', i).image));
    fit = tf.tensor(px?.pixelValues as Float32Array, [...(px?.shape as number[])]);
    blipVisionFromClip(blip, clip, fit);
  });
  afterAll(async () => {
    fit.dispose();
    await Promise.all([clip.dispose(), blip.dispose()]);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('copies the layers (q | k | v fused), post_layernorm and the projection exactly', () => {
    const c = (n: string) => Array.from(clip.params.get(n).data);
    const b = (n: string) => Array.from(blip.params.get(n).data);
    const l = 'vision_model.encoder.layers.2';
    expect(b(`${l}.self_attn.qkv.weight`)).toEqual([...c(`${l}.self_attn.q_proj.weight`), ...c(`${l}.self_attn.k_proj.weight`), ...c(`${l}.self_attn.v_proj.weight`)]);
    expect(b(`${l}.self_attn.qkv.bias`).slice(64, 128)).toEqual(c(`${l}.self_attn.k_proj.bias`));
    expect(b(`${l}.self_attn.projection.weight`)).toEqual(c(`${l}.self_attn.out_proj.weight`));
    expect(b(`${l}.mlp.fc2.weight`)).toEqual(c(`${l}.mlp.fc2.weight`));
    expect(b('vision_model.post_layernorm.bias')).toEqual(c('vision_model.post_layernorm.bias'));
    expect(b('vision_proj.weight')).toEqual(c('visual_projection.weight'));
    expect(b('vision_proj.bias').every((v) => v === 0)).toBe(true);
  });

  it('embeds the class token exactly as CLIP (after pre_layrnorm) and the patches as the least-squares fit', async () => {
    const teacher = await clipHidden(clip, fit);
    const student = blip.differentiableVision(fit, { hiddenStates: true });
    const t0 = teacher[0] as tf.Tensor;
    const s0 = student.hiddenStates[0] as tf.Tensor;
    const cls = tf.tidy(() => tf.max(tf.abs(tf.sub(s0.slice([0, 0, 0], [-1, 1, -1]), t0.slice([0, 0, 0], [-1, 1, -1])))).dataSync()[0] as number);
    expect(cls).toBeLessThan(1e-5);
    // least squares with a bias per position: the residual of every position averages to ~0 over the fit images
    const [meanResidual, mse, power] = tf.tidy(() => {
      const r = tf.sub(s0.slice([0, 1, 0], [-1, -1, -1]), t0.slice([0, 1, 0], [-1, -1, -1]));
      return [tf.max(tf.abs(tf.mean(r, 0))).dataSync()[0], tf.mean(tf.square(r)).dataSync()[0], tf.mean(tf.square(t0)).dataSync()[0]] as number[];
    });
    expect(meanResidual).toBeLessThan(1e-3);
    expect(mse).toBeLessThan(0.05 * (power as number)); // a close fit, not an exact one: LayerNorm is not linear
    tf.dispose([...teacher, student.lastHiddenState, ...student.hiddenStates]);
  });

  it('rejects a CLIP tower of another geometry, naming the field', () => {
    const other = createRandomBlip('BlipForImageTextRetrieval', tinyBlipConfig('tiny-blip-itm', { patchSize: 16, quickGelu: true }), 0);
    expect(() => blipVisionFromClip(other, clip, fit)).toThrow(/patchSize is 16 in BLIP, 8 in CLIP/);
    void other.dispose();
  });

  it('distillation trains only the vision tower and vision_proj', async () => {
    const before = new Map(blip.params.names().map((n) => [n, blip.params.get(n).data.slice()]));
    const losses: number[] = [];
    const result = await distilBlipVision(blip, clip, {
      imageProcessor: clip.imageProcessor as NonNullable<ClipModel['imageProcessor']>,
      images: 16,
      size: 64,
      steps: 3,
      batchSize: 4,
      learningRate: 1e-3,
      warmupSteps: 1,
      weightDecay: 0,
      seed: 0,
      contrastiveWeight: 1,
      checkpoint: { dir: path.join(tmp, 'trainer'), every: 10, resume: false },
      onEvent: (e) => void (e.type === 'step-end' && losses.push(e.loss)),
    });
    expect(result.steps).toBe(3);
    expect(losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
    const changed = blip.params.names().filter((n) => blip.params.get(n).data.some((v, i) => v !== (before.get(n) as Float32Array)[i]));
    expect(changed.length).toBeGreaterThan(10);
    expect(changed.every((n) => n.startsWith('vision_model.') || n.startsWith('vision_proj.'))).toBe(true);
    expect(changed).toContain('vision_proj.weight');
  });

  it('the object term adds objectWeight × the object loss, trains a head that stays out of the model, and moves the tower', async () => {
    const run = async (objectWeight: number) => {
      const model = createRandomBlip('BlipForImageTextRetrieval', tinyBlipConfig('tiny-blip-itm', CLIP_VISION), 0);
      blipVisionFromClip(model, clip, fit);
      const losses: number[] = [];
      await distilBlipVision(model, clip, {
        imageProcessor: clip.imageProcessor as NonNullable<ClipModel['imageProcessor']>,
        images: 16, size: 64, steps: 2, batchSize: 4, learningRate: 1e-3, warmupSteps: 1, weightDecay: 0, seed: 0,
        contrastiveWeight: 1, objectWeight,
        checkpoint: { dir: path.join(tmp, `trainer-object-${objectWeight}`), every: 10, resume: false },
        onEvent: (e) => void (e.type === 'step-end' && losses.push(e.loss)),
      });
      return { model, losses };
    };
    const plain = await run(0);
    const object = await run(5);
    const double = await run(10);
    try {
      // Step 1: same batch, same tower, same initial head: the loss grows linearly in objectWeight by
      // one object loss — a sum of four cross-entropies (colour, shape, size, cell), so positive and of
      // the order of their sum at chance, ln 8 + ln 8 + ln 2 + ln 9 (its exact value depends on how
      // large the tower's tokens are against the head's initial weights).
      const perUnit = ((object.losses[0] as number) - (plain.losses[0] as number)) / 5;
      expect(((double.losses[0] as number) - (plain.losses[0] as number)) / 10).toBeCloseTo(perUnit, 3);
      const chance = Math.log(8) + Math.log(8) + Math.log(2) + Math.log(9);
      expect(perUnit).toBeGreaterThan(chance / 2);
      expect(perUnit).toBeLessThan(chance * 2);
      expect(object.model.params.names().some((n) => n.startsWith('object_head.'))).toBe(false);
      expect(object.model.params.names()).toEqual(plain.model.params.names());
      const w = 'vision_model.encoder.layers.3.mlp.fc2.weight';
      expect(object.model.params.get(w).data).not.toEqual(plain.model.params.get(w).data);
      expect(object.model.params.get('text_encoder.embeddings.word_embeddings.weight').data).toEqual(plain.model.params.get('text_encoder.embeddings.word_embeddings.weight').data);
    } finally {
      await Promise.all([plain.model.dispose(), object.model.dispose(), double.model.dispose()]);
    }
  });

  it('rejects a negative object weight', async () => {
    await expect(
      distilBlipVision(blip, clip, {
        imageProcessor: clip.imageProcessor as NonNullable<ClipModel['imageProcessor']>,
        images: 16, size: 64, steps: 1, batchSize: 4, learningRate: 1e-3, warmupSteps: 1, weightDecay: 0, seed: 0,
        contrastiveWeight: 1, objectWeight: -1, checkpoint: { dir: path.join(tmp, 'trainer-negative'), every: 10, resume: false },
      }),
    ).rejects.toMatchObject({ code: 'VLP_INVALID_ARGUMENT' });
  });
});
