import type { ClipModel, BlipModel, TowerArch, BertTowerArch } from '@vlp/models';

/**
 * Analytic forward FLOPs (2 per multiply-add) of the matrix products of a transformer model, per
 * example: one image and one text of the model's maximum text length (BLIP VQA: a question and an
 * answer of that length). LayerNorms, softmax, activations and embeddings are not counted (they are
 * < 2 % on these shapes). The count follows each layer's real geometry, so a compacted model
 * (heads, channels, neurons or layers removed) reports its smaller count. Masked (zeroed) weights
 * are still multiplied by dense kernels: see {@link effectiveFlops} for the count that skips them.
 */

/** FLOPs of one tower: self-attention, optional cross-attention over `kvTokens` inputs of width `kvWidth`, MLP. */
export function towerFlops(tower: TowerArch, tokens: number, cross?: { kvTokens: number; kvWidth: number }): number {
  const d = tower.hidden;
  let flops = 0;
  tower.layers.forEach((layer, i) => {
    const inner = layer.attention.heads * layer.attention.headDim;
    flops += 2 * tokens * d * inner * 3 + 2 * tokens * inner * d; // q, k, v, out
    flops += 2 * 2 * tokens * tokens * inner; // scores and context
    flops += 2 * 2 * tokens * d * layer.mlp; // fc1, fc2
    const c = (tower as BertTowerArch).layers[i]?.cross;
    if (cross && c) {
      const ci = c.heads * c.headDim;
      flops += 2 * tokens * d * ci + 2 * 2 * cross.kvTokens * cross.kvWidth * ci + 2 * tokens * ci * d;
      flops += 2 * 2 * tokens * cross.kvTokens * ci;
    }
  });
  return flops;
}

function visionFlops(tower: TowerArch, imageSize: number, patchSize: number, channels: number): { flops: number; tokens: number } {
  const patches = (imageSize / patchSize) ** 2;
  const tokens = patches + 1;
  return { flops: 2 * patches * channels * patchSize * patchSize * tower.hidden + towerFlops(tower, tokens), tokens };
}

/** FLOPs of a CLIP model per image–text pair (both towers and projections). */
export function clipFlops(model: ClipModel): number {
  const { vision, text, projectionDim } = model.config;
  const v = visionFlops(model.arch.vision, vision.imageSize, vision.patchSize, vision.numChannels);
  const t = text.maxPositionEmbeddings;
  return v.flops + towerFlops(model.arch.text, t) + 2 * projectionDim * (model.arch.vision.hidden + model.arch.text.hidden);
}

/** FLOPs of a BLIP model per example of its task (vision tower, text encoder and/or decoder, heads excluded). */
export function blipFlops(model: BlipModel): number {
  const { vision, text } = model.config;
  const v = visionFlops(model.arch.vision, vision.imageSize, vision.patchSize, vision.numChannels);
  const t = text.maxPositionEmbeddings;
  const image = { kvTokens: v.tokens, kvWidth: model.arch.vision.hidden };
  let flops = v.flops;
  if (model.arch.textEncoder) flops += towerFlops(model.arch.textEncoder, t, image);
  if (model.arch.textDecoder) {
    // The VQA decoder cross-attends the question (text encoder outputs), captioning the image.
    const kv = model.task === 'vqa' && model.arch.textEncoder ? { kvTokens: t, kvWidth: model.arch.textEncoder.hidden } : image;
    flops += towerFlops(model.arch.textDecoder, t, kv);
  }
  return flops;
}

/**
 * FLOPs that skip zeroed weights of the prunable linears: `dense − Σ_unit 2 · tokens(unit) · pruned(unit)`.
 * A theoretical count: dense kernels do not skip zeros, so masked models run no faster.
 */
export function effectiveFlops(dense: number, perUnit: readonly { readonly tokens: number; readonly pruned: number }[]): number {
  return dense - perUnit.reduce((sum, u) => sum + 2 * u.tokens * u.pruned, 0);
}
