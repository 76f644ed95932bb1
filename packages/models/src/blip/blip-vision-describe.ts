import type { TowerArch } from '../clip/clip-arch.js';
import type { DescribeContext } from '../ops/describe-context.js';
import { attend, feedForward, gatedResidual, mergeHeads, splitHeads } from '../ops/transformer-blocks.js';
import type { BlipVisionConfig } from './blip-config.js';

/** The vision tower's output inside a description. */
export interface BlipVisionValues<V> {
  /** post_layernorm(encoder output) as `[B·N, D]` rows (`image_embeds`). */
  readonly lastHiddenState: V;
  /** Tokens per image (patches + class token). */
  readonly tokens: number;
  readonly width: number;
}

/** Tokens per image of a BLIP vision config (patches + class token). */
export function blipImageTokens(c: BlipVisionConfig): number {
  return (c.imageSize / c.patchSize) ** 2 + 1;
}

/** One pre-LN ViT layer with BLIP's fused `qkv` (rows q | k | v) and `projection`. */
function visionLayer<V>(ctx: DescribeContext<V>, arch: TowerArch, position: number, x: V, tokens: number): V {
  const g = ctx.g;
  const layer = arch.layers[position] as TowerArch['layers'][number];
  const i = arch.layerIndices[position] as number;
  const p = `vision_model.encoder.layers.${i}`;
  const gatePrefix = `vision.${i}`;
  const { heads, headDim } = layer.attention;
  const inner = heads * headDim;
  const normed = g.layerNorm(x, g.param(`${p}.layer_norm1.weight`), g.param(`${p}.layer_norm1.bias`), arch.eps);
  const qkv = ctx.linear(`${p}.self_attn.qkv.weight`, normed, null);
  const [q, k, v] = [0, 1, 2].map((j) => splitHeads(ctx, g.slice(qkv, 1, j * inner, (j + 1) * inner), tokens, heads, headDim)) as [V, V, V];
  const context = attend(ctx, q, k, v, { gatePrefix, shape: layer.attention, mask: null });
  const attn = ctx.linear(`${p}.self_attn.projection.weight`, mergeHeads(ctx, context, tokens, heads, headDim), null);
  x = gatedResidual(ctx, x, attn, gatePrefix);
  const mlp = feedForward(ctx, g.layerNorm(x, g.param(`${p}.layer_norm2.weight`), g.param(`${p}.layer_norm2.bias`), arch.eps), {
    fc1: `${p}.mlp.fc1.weight`,
    fc2: `${p}.mlp.fc2.weight`,
    act: arch.act,
    neurons: layer.mlp,
    gatePrefix,
    rowWeights: null,
  });
  x = gatedResidual(ctx, x, mlp, gatePrefix);
  ctx.tapBlock(gatePrefix, x, null, tokens, arch.hidden);
  return x;
}

/**
 * BlipVisionModel as transformers v4.36.2 computes it: patch embedding (a conv WITH bias, here a
 * matmul over patchified pixels), 3-D class embedding, bare `position_embedding` parameter, pre-LN
 * layers (no pre-encoder LayerNorm), `post_layernorm` on the last hidden state and — again — on its
 * class row for the pooled output.
 * Input `pixel_values [batchDim, 3, S, S]`. Outputs `vision_model.last_hidden_state`,
 * `vision_model.pooler_output` (+ `vision_model.hidden_states.{i}` when asked).
 */
export function describeBlipVision<V>(ctx: DescribeContext<V>, c: BlipVisionConfig, arch: TowerArch, batchDim = 'batch'): BlipVisionValues<V> {
  const g = ctx.g;
  const grid = c.imageSize / c.patchSize;
  const patches = grid * grid;
  const tokens = patches + 1;
  const d = arch.hidden;
  const e = 'vision_model.embeddings';
  const pixels = g.input('pixel_values', 'float32', [batchDim, c.numChannels, c.imageSize, c.imageSize]);
  const patchified = g.reshape(
    g.transpose(g.reshape(pixels, [-1, c.numChannels, grid, c.patchSize, grid, c.patchSize]), [0, 2, 4, 1, 3, 5]),
    [-1, c.numChannels * c.patchSize * c.patchSize],
  );
  const patchEmbeds = g.linear(patchified, g.param(`${e}.patch_embedding.weight`, 'linear'), g.param(`${e}.patch_embedding.bias`));
  const withClassSlot = g.pad(g.reshape(patchEmbeds, [-1, patches, d]), [0, 1, 0, 0, 0, 0]);
  const classRow = g.pad(g.reshape(g.param(`${e}.class_embedding`), [1, d]), [0, 0, patches, 0]);
  const positions = g.add(g.reshape(g.param(`${e}.position_embedding`), [tokens, d]), classRow);
  let x = g.reshape(g.add(withClassSlot, positions), [-1, d]);
  if (ctx.hiddenStates) g.output('vision_model.hidden_states.0', g.reshape(x, [-1, tokens, d]));
  arch.layers.forEach((_, position) => {
    x = visionLayer(ctx, arch, position, x, tokens);
    if (ctx.hiddenStates) g.output(`vision_model.hidden_states.${position + 1}`, g.reshape(x, [-1, tokens, d]));
  });
  const gamma = g.param('vision_model.post_layernorm.weight');
  const beta = g.param('vision_model.post_layernorm.bias');
  const last = g.layerNorm(x, gamma, beta, arch.eps);
  g.output('vision_model.last_hidden_state', g.reshape(last, [-1, tokens, d]));
  g.output('vision_model.pooler_output', g.layerNorm(firstRows(ctx, last, tokens, d), gamma, beta, arch.eps));
  return { lastHiddenState: last, tokens, width: d };
}

/**
 * Where a description's image tokens come from: `'pixels'` runs the vision tower on `pixel_values`;
 * `'embeds'` reads them as the input `image_embeds [batch, S, D]` — a vision tower's
 * `last_hidden_state` computed beforehand (e.g. a frozen tower's, cached once for a whole training run).
 */
export type BlipImageSource = 'pixels' | 'embeds';

/** The image tokens of a description from `source` (see {@link BlipImageSource}). */
export function describeBlipImageTokens<V>(ctx: DescribeContext<V>, c: BlipVisionConfig, arch: TowerArch, source: BlipImageSource, batchDim = 'batch'): BlipVisionValues<V> {
  if (source === 'pixels') return describeBlipVision(ctx, c, arch, batchDim);
  const tokens = blipImageTokens(c);
  const d = arch.hidden;
  return { lastHiddenState: ctx.g.reshape(ctx.g.input('image_embeds', 'float32', [batchDim, tokens, d]), [-1, d]), tokens, width: d };
}

/** Row 0 of every sequence of `x [B·T, D]` → `[B, D]` (the class / `[CLS]` token). */
export function firstRows<V>(ctx: DescribeContext<V>, x: V, tokens: number, width: number): V {
  const g = ctx.g;
  return g.reshape(g.slice(g.reshape(x, [-1, tokens, width]), 1, 0, 1), [-1, width]);
}
