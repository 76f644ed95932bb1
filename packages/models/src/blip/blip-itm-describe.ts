import type { DescribeContext } from '../ops/describe-context.js';
import type { BlipArch } from './blip-arch.js';
import type { BlipConfig } from './blip-config.js';
import { describeTextEncoder, encoderArch, textInputs } from './blip-towers.js';
import { type BlipImageSource, describeBlipImageTokens, describeBlipVision, firstRows } from './blip-vision-describe.js';

const PAIR_INPUTS = { ids: 'input_ids', mask: 'attention_mask' };

/**
 * The ITM head on image–text pairs: text n (`input_ids` / `attention_mask` `[pairs, T]`, as given)
 * cross-attends every token of image `image_index[n]` of `images [Bi·S, D]` (all-ones image mask)
 * and `itm_head` scores its first row → output `itm_logits [pairs, 2]`.
 */
function describeItmOnImages<V>(ctx: DescribeContext<V>, arch: BlipArch, tokens: number, images: V, imageTokens: number): void {
  const g = ctx.g;
  const width = encoderArch(arch).encoderHidden;
  const index = g.input('image_index', 'int64', ['pairs']);
  const paired = g.reshape(g.gather(g.reshape(images, [-1, imageTokens * width]), index), [-1, width]);
  const text = textInputs(ctx, PAIR_INPUTS, tokens, 'pairs');
  const d = encoderArch(arch).hidden;
  const q = describeTextEncoder(ctx, arch, text, { states: paired, tokens: imageTokens, mask: null, rowWeights: null });
  g.output('itm_logits', g.linear(firstRows(ctx, q, tokens, d), g.param('itm_head.weight', 'linear'), g.param('itm_head.bias')));
}

/**
 * ITM logits of pairs (text n ↔ image `image_index[n]`) from `pixel_values [images, 3, S, S]`, or
 * with `source` `'embeds'` from precomputed `image_embeds [images, S, D]`.
 */
export function describeBlipItmPairs<V>(ctx: DescribeContext<V>, config: BlipConfig, arch: BlipArch, tokens: number, source: BlipImageSource = 'pixels'): void {
  const vision = describeBlipImageTokens(ctx, config.vision, arch.vision, source, 'images');
  describeItmOnImages(ctx, arch, tokens, vision.lastHiddenState, vision.tokens);
}

/** ITM logits of pairs (text n ↔ image `image_index[n]`) from precomputed `image_embeds [images, S, D]`. */
export function describeBlipItmOnEmbeds<V>(ctx: DescribeContext<V>, config: BlipConfig, arch: BlipArch, tokens: number): void {
  describeBlipItmPairs(ctx, config, arch, tokens, 'embeds');
}

/**
 * The image side of retrieval: `image_embeds [B, S, D]` (vision last_hidden_state) and
 * `image_feat = normalize(vision_proj(image_embeds[:, 0]))` `[B, H]`.
 */
export function describeBlipImageFeatures<V>(ctx: DescribeContext<V>, config: BlipConfig, arch: BlipArch): void {
  const g = ctx.g;
  const vision = describeBlipVision(ctx, config.vision, arch.vision);
  g.output('image_embeds', g.reshape(vision.lastHiddenState, [-1, vision.tokens, vision.width]));
  const cls = firstRows(ctx, vision.lastHiddenState, vision.tokens, vision.width);
  g.output('image_feat', g.l2Normalize(g.linear(cls, g.param('vision_proj.weight', 'linear'), g.param('vision_proj.bias'))));
}

/** The text side of retrieval: `text_feat = normalize(text_proj(text_encoder(ids)[:, 0]))` `[B, H]` (no cross-attention). */
export function describeBlipTextFeatures<V>(ctx: DescribeContext<V>, arch: BlipArch, tokens: number): void {
  const g = ctx.g;
  const d = encoderArch(arch).hidden;
  const q = describeTextEncoder(ctx, arch, textInputs(ctx, PAIR_INPUTS, tokens), null);
  g.output('text_feat', g.l2Normalize(g.linear(firstRows(ctx, q, tokens, d), g.param('text_proj.weight', 'linear'), g.param('text_proj.bias'))));
}
