/**
 * Analytic forward FLOPs (2 per multiply-add) of the matrix products of CLIP / BLIP models of
 * `@vlp/models`, per example, read from each layer's real geometry (`model.arch`), so a compacted
 * model reports its smaller count. The same count as the benchmark's `clipFlops` / `blipFlops`
 * (LayerNorms, softmax, activations, embeddings not counted: < 2 % on these shapes); typed
 * structurally so this package needs no runtime dependency on `@vlp/models`.
 */

/** One attention module: heads × per-head width. */
export interface AttentionGeometry {
  readonly heads: number;
  readonly headDim: number;
}

/** A transformer tower's geometry (`TowerArch` / `BertTowerArch`). */
export interface TowerGeometry {
  readonly hidden: number;
  readonly layers: readonly { readonly attention: AttentionGeometry; readonly mlp: number; readonly cross?: AttentionGeometry | null }[];
}

/** Image input geometry (`config.vision`). */
export interface ImageGeometry {
  readonly imageSize: number;
  readonly patchSize: number;
  readonly numChannels: number;
}

/** A CLIP or BLIP model of `@vlp/models`, structurally. */
export type FlopsModel =
  | {
      readonly architecture: 'clip';
      readonly config: { readonly vision: ImageGeometry; readonly text: { readonly maxPositionEmbeddings: number }; readonly projectionDim: number };
      readonly arch: { readonly vision: TowerGeometry; readonly text: TowerGeometry };
    }
  | {
      readonly architecture: 'blip';
      readonly task: string;
      readonly config: { readonly vision: ImageGeometry; readonly text: { readonly maxPositionEmbeddings: number } };
      readonly arch: { readonly vision: TowerGeometry; readonly textEncoder: TowerGeometry | null; readonly textDecoder: TowerGeometry | null };
    };

/** FLOPs of one tower over `tokens` inputs: self-attention, optional cross-attention over `kvTokens` inputs of width `kvWidth`, MLP. */
export function towerFlops(tower: TowerGeometry, tokens: number, cross?: { readonly kvTokens: number; readonly kvWidth: number }): number {
  const d = tower.hidden;
  let flops = 0;
  for (const layer of tower.layers) {
    const inner = layer.attention.heads * layer.attention.headDim;
    flops += 2 * tokens * d * inner * 3 + 2 * tokens * inner * d; // q, k, v, out
    flops += 2 * 2 * tokens * tokens * inner; // scores and context
    flops += 2 * 2 * tokens * d * layer.mlp; // fc1, fc2
    const c = layer.cross;
    if (cross && c) {
      const ci = c.heads * c.headDim;
      flops += 2 * tokens * d * ci + 2 * 2 * cross.kvTokens * cross.kvWidth * ci + 2 * tokens * ci * d;
      flops += 2 * 2 * tokens * cross.kvTokens * ci;
    }
  }
  return flops;
}

/** Tokens of the ViT (patches + class token) of a model. */
function imageTokens(image: ImageGeometry): number {
  return (image.imageSize / image.patchSize) ** 2 + 1;
}

/** FLOPs of the image encoder (patch embedding + ViT) for one image. */
export function imageEncoderFlops(model: FlopsModel): number {
  const image = model.config.vision;
  const patches = imageTokens(image) - 1;
  return 2 * patches * image.numChannels * image.patchSize * image.patchSize * model.arch.vision.hidden + towerFlops(model.arch.vision, patches + 1);
}

/**
 * FLOPs of the whole model per example: CLIP one image and one text of the maximum length (both
 * towers and projections); BLIP the vision tower plus the text encoder and/or decoder of its head
 * at the maximum text length (the VQA decoder cross-attends the question, captioning the image).
 */
export function modelFlops(model: FlopsModel): number {
  const t = model.config.text.maxPositionEmbeddings;
  const vision = imageEncoderFlops(model);
  if (model.architecture === 'clip') {
    return vision + towerFlops(model.arch.text, t) + 2 * model.config.projectionDim * (model.arch.vision.hidden + model.arch.text.hidden);
  }
  const image = { kvTokens: imageTokens(model.config.vision), kvWidth: model.arch.vision.hidden };
  const { textEncoder, textDecoder } = model.arch;
  let flops = vision;
  if (textEncoder) flops += towerFlops(textEncoder, t, image);
  if (textDecoder) flops += towerFlops(textDecoder, t, model.task === 'vqa' && textEncoder ? { kvTokens: t, kvWidth: textEncoder.hidden } : image);
  return flops;
}
