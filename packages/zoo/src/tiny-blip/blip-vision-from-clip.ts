import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import type { BlipModel, ClipModel } from '@vlp/models';
import { solveSpd } from './least-squares.js';

/** Throws unless the two vision towers have the same geometry and activation. */
function checkSameTower(blip: BlipModel, clip: ClipModel): void {
  const b = blip.config.vision;
  const c = clip.config.vision;
  const fields = ['hiddenSize', 'intermediateSize', 'numHiddenLayers', 'numAttentionHeads', 'imageSize', 'patchSize', 'numChannels', 'hiddenAct'] as const;
  for (const f of fields) {
    if (b[f] !== c[f]) {
      throw new InvalidArgumentError({
        message: `The BLIP vision tower must have the CLIP vision tower's geometry to start from it: vision_config ${f} is ${String(b[f])} in BLIP, ${String(c[f])} in CLIP. Set the BLIP vision_config to match.`,
        expected: c[f],
        actual: b[f],
      });
    }
  }
  if (blip.config.imageTextHiddenSize !== clip.config.projectionDim) {
    throw new InvalidArgumentError({ message: `image_text_hidden_size (${blip.config.imageTextHiddenSize}) must equal the CLIP projection_dim (${clip.config.projectionDim}).` });
  }
}

/**
 * The least-squares fit of BLIP's patch embedding (a linear map of each patch plus a bias per
 * position) to CLIP's `pre_layrnorm(patch_embedding(patch) + position_embedding)`, which BLIP's
 * vision tower lacks: over the patches of `pixelValues [N, 3, S, S]`, `argmin ‖[patch, onehot(pos)] X −
 * target‖² + ridge‖X‖²`. Returns the patch weight `[D, 3·P·P]` and the per-position rows `[patches, D]`.
 */
function fitPatchEmbedding(clip: ClipModel, pixelValues: tf.Tensor, ridge: number): { weight: Float32Array; positions: Float32Array } {
  const v = clip.config.vision;
  const d = v.hiddenSize;
  const grid = v.imageSize / v.patchSize;
  const patches = grid * grid;
  const inputs = v.numChannels * v.patchSize * v.patchSize;
  const get = (name: string) => clip.params.get(`vision_model.${name}`).data;
  const n = inputs + patches;
  const [a, b] = tf.tidy(() => {
    const count = pixelValues.shape[0] as number;
    const x = tf
      .reshape(pixelValues, [count, v.numChannels, grid, v.patchSize, grid, v.patchSize])
      .transpose([0, 2, 4, 1, 3, 5])
      .reshape([count * patches, inputs]);
    const w = tf.tensor2d(get('embeddings.patch_embedding.weight'), [d, inputs]);
    const pos = tf.tensor2d(get('embeddings.position_embedding.weight'), [patches + 1, d]).slice([1, 0], [patches, d]);
    const e = tf.add(tf.reshape(tf.matMul(x, w, false, true), [count, patches, d]), pos);
    const { mean, variance } = tf.moments(e, -1, true);
    const normed = tf.div(tf.sub(e, mean), tf.sqrt(tf.add(variance, clip.arch.vision.eps)));
    const target = tf.reshape(tf.add(tf.mul(normed, tf.tensor1d(get('pre_layrnorm.weight'))), tf.tensor1d(get('pre_layrnorm.bias'))), [count * patches, d]);
    const design = tf.concat([x, tf.oneHot(tf.tile(tf.range(0, patches, 1, 'int32'), [count]), patches).toFloat()], 1);
    return [tf.add(tf.matMul(design, design, true, false), tf.mul(tf.eye(n), ridge)).dataSync(), tf.matMul(design, target, true, false).dataSync()];
  });
  const solution = solveSpd(a, b, n, d);
  const weight = new Float32Array(d * inputs);
  for (let k = 0; k < inputs; k++) for (let o = 0; o < d; o++) weight[o * inputs + k] = solution[k * d + o] as number;
  return { weight, positions: Float32Array.from(solution.subarray(inputs * d)) };
}

/**
 * Starts a BLIP model's vision tower (and `vision_proj`) from a CLIP model's vision tower of the
 * same geometry, in place — as BLIP starts from a pre-trained ViT. The layers, `post_layernorm` and
 * the projection (`visual_projection` → `vision_proj`, bias 0) copy over exactly (q / k / v fused
 * into `qkv`, `out_proj` → `projection`). BLIP's embeddings have no `pre_layrnorm`: the class token
 * (a constant) is CLIP's exactly, and the patch embedding with its bias and the position rows is
 * the least-squares fit of CLIP's normalised patch embeddings over the images `fitPixels`
 * (`[N, 3, S, S]`, preprocessed). The per-token normalisation is not linear, so the tower is close
 * to CLIP's, not equal: distil it afterwards to match.
 */
export function blipVisionFromClip(blip: BlipModel, clip: ClipModel, fitPixels: tf.Tensor, options: { ridge?: number } = {}): void {
  checkSameTower(blip, clip);
  const d = clip.config.vision.hiddenSize;
  const from = (name: string) => clip.params.get(name).data;
  const set = (name: string, data: ArrayLike<number>) => blip.params.set(name, Float32Array.from(data));
  for (let i = 0; i < clip.config.vision.numHiddenLayers; i++) {
    const c = `vision_model.encoder.layers.${i}`;
    const attn = (part: string) => ['q', 'k', 'v'].flatMap((x) => Array.from(from(`${c}.self_attn.${x}_proj.${part}`)));
    set(`${c}.self_attn.qkv.weight`, attn('weight'));
    set(`${c}.self_attn.qkv.bias`, attn('bias'));
    set(`${c}.self_attn.projection.weight`, from(`${c}.self_attn.out_proj.weight`));
    set(`${c}.self_attn.projection.bias`, from(`${c}.self_attn.out_proj.bias`));
    for (const n of ['layer_norm1', 'layer_norm2', 'mlp.fc1', 'mlp.fc2']) for (const p of ['weight', 'bias']) set(`${c}.${n}.${p}`, from(`${c}.${n}.${p}`));
  }
  for (const p of ['weight', 'bias']) set(`vision_model.post_layernorm.${p}`, from(`vision_model.post_layernorm.${p}`));
  set('vision_proj.weight', from('visual_projection.weight'));
  set('vision_proj.bias', new Float32Array(d));
  // the class token: pre_layrnorm(class_embedding + position 0), a constant; BLIP adds position row 0 (set to 0)
  const gamma = from('vision_model.pre_layrnorm.weight');
  const beta = from('vision_model.pre_layrnorm.bias');
  const cls = Array.from(from('vision_model.embeddings.class_embedding'), (x, o) => x + (from('vision_model.embeddings.position_embedding.weight')[o] as number));
  const mean = cls.reduce((s, x) => s + x, 0) / d;
  const sd = Math.sqrt(cls.reduce((s, x) => s + (x - mean) ** 2, 0) / d + clip.arch.vision.eps);
  set('vision_model.embeddings.class_embedding', cls.map((x, o) => ((x - mean) / sd) * (gamma[o] as number) + (beta[o] as number)));
  const fit = fitPatchEmbedding(clip, fitPixels, options.ridge ?? 1e-3);
  set('vision_model.embeddings.patch_embedding.weight', fit.weight);
  set('vision_model.embeddings.patch_embedding.bias', new Float32Array(d));
  const positions = new Float32Array(blip.params.get('vision_model.embeddings.position_embedding').data.length);
  positions.set(fit.positions, d);
  set('vision_model.embeddings.position_embedding', positions);
}
