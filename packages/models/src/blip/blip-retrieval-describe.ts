import type { DescribeContext } from '../ops/describe-context.js';
import type { BlipArch } from './blip-arch.js';
import type { BlipConfig } from './blip-config.js';
import { encoderArch, describeTextEncoder, textInputs } from './blip-towers.js';
import { type BlipImageSource, describeBlipImageTokens, describeBlipVision, firstRows } from './blip-vision-describe.js';

const TEXT_INPUTS = { ids: 'input_ids', mask: 'attention_mask' };

/**
 * `BlipForImageTextRetrieval.forward(use_itm_head=True)`: the text encoder cross-attends every
 * image token (all-ones image mask) and `itm_head` scores its `[CLS]` row → `itm_score [B, 2]`
 * (image i ↔ text i). Also outputs `question_embeds [B, T, D]` and the vision outputs.
 */
export function describeBlipItm<V>(ctx: DescribeContext<V>, config: BlipConfig, arch: BlipArch, tokens: number): void {
  const g = ctx.g;
  const d = encoderArch(arch).hidden;
  const vision = describeBlipVision(ctx, config.vision, arch.vision);
  const text = textInputs(ctx, TEXT_INPUTS, tokens);
  const q = describeTextEncoder(ctx, arch, text, { states: vision.lastHiddenState, tokens: vision.tokens, mask: null, rowWeights: null });
  g.output('question_embeds', g.reshape(q, [-1, tokens, d]));
  g.output('itm_score', g.linear(firstRows(ctx, q, tokens, d), g.param('itm_head.weight', 'linear'), g.param('itm_head.bias')));
}

/**
 * `BlipForImageTextRetrieval.forward(use_itm_head=False)`: images (`images` rows) and texts
 * (`texts` rows, text-only encoder) independently; `image_feat = normalize(vision_proj(img[:, 0]))`,
 * `text_feat = normalize(text_proj(txt[:, 0]))`, `itm_score = image_feat · text_featᵀ` (cosine, no
 * temperature) `[images, texts]`. With `source` `'embeds'` the images are given as `image_embeds`.
 */
export function describeBlipItc<V>(ctx: DescribeContext<V>, config: BlipConfig, arch: BlipArch, tokens: number, source: BlipImageSource = 'pixels'): void {
  const g = ctx.g;
  const d = encoderArch(arch).hidden;
  const vision = describeBlipImageTokens(ctx, config.vision, arch.vision, source, 'images');
  const text = textInputs(ctx, TEXT_INPUTS, tokens, 'texts');
  const q = describeTextEncoder(ctx, arch, text, null);
  g.output('question_embeds', g.reshape(q, [-1, tokens, d]));
  const imageCls = firstRows(ctx, vision.lastHiddenState, vision.tokens, vision.width);
  const textCls = firstRows(ctx, q, tokens, d);
  ctx.tapInput('vision_proj.weight', imageCls, null);
  ctx.tapInput('text_proj.weight', textCls, null);
  const imageFeat = g.l2Normalize(g.linear(imageCls, g.param('vision_proj.weight', 'linear'), g.param('vision_proj.bias')));
  const textFeat = g.l2Normalize(g.linear(textCls, g.param('text_proj.weight', 'linear'), g.param('text_proj.bias')));
  g.output('image_feat', imageFeat);
  g.output('text_feat', textFeat);
  g.output('itm_score', g.matmul(imageFeat, textFeat, true));
}
