/**
 * Descriptions of the BLIP graphs that only the ONNX export has (the full-model graphs reuse the
 * model's own descriptions): the vision tower alone, the text encoder alone or on given image
 * embeddings, and the teacher-forced text decoder on given encoder states. All are composed from
 * the same building blocks as the model classes, so they compute what they compute.
 */
import type { BlipArch } from '../blip/blip-arch.js';
import type { BlipConfig } from '../blip/blip-config.js';
import { describeLmHead } from '../blip/blip-lm-head.js';
import { type CrossSource, crossMask } from '../blip/blip-text-describe.js';
import { decoderArch, describeTextDecoder, describeTextEncoder, encoderArch, textInputs } from '../blip/blip-towers.js';
import { blipImageTokens, describeBlipVision, firstRows } from '../blip/blip-vision-describe.js';
import type { DescribeContext } from '../ops/describe-context.js';

const TEXT = { ids: 'input_ids', mask: 'attention_mask' };

/** `normalize(<proj>(rows))`: retrieval's ITC feature of `[CLS]` rows `[B, D]` → `[B, H]`. */
function itcFeature<V>(ctx: DescribeContext<V>, proj: 'vision_proj' | 'text_proj', rows: V): V {
  const g = ctx.g;
  return g.l2Normalize(g.linear(rows, g.param(`${proj}.weight`, 'linear'), g.param(`${proj}.bias`)));
}

/** `encoder_hidden_states [B, S, width]` as `[B·S, width]` rows. */
function encoderStates<V>(ctx: DescribeContext<V>, tokens: number, width: number): V {
  return ctx.g.reshape(ctx.g.input('encoder_hidden_states', 'float32', ['batch', tokens, width]), [-1, width]);
}

/**
 * BlipVisionModel (`vision_model.last_hidden_state`, `vision_model.pooler_output`); for retrieval
 * also `image_feat` = normalize(vision_proj(last_hidden_state[:, 0])), the ITC image factor.
 */
export function describeVisionExport<V>(ctx: DescribeContext<V>, config: BlipConfig, arch: BlipArch): void {
  const vision = describeBlipVision(ctx, config.vision, arch.vision);
  if (config.architecture !== 'BlipForImageTextRetrieval') return;
  ctx.g.output('image_feat', itcFeature(ctx, 'vision_proj', firstRows(ctx, vision.lastHiddenState, vision.tokens, vision.width)));
}

/**
 * The retrieval text encoder on text alone (as ITC runs it): `last_hidden_state [B, T, D]` and
 * `text_feat` = normalize(text_proj(last_hidden_state[:, 0])).
 */
export function describeTextOnlyExport<V>(ctx: DescribeContext<V>, arch: BlipArch, tokens: number): void {
  const g = ctx.g;
  const d = encoderArch(arch).hidden;
  const x = describeTextEncoder(ctx, arch, textInputs(ctx, TEXT, tokens), null);
  g.output('last_hidden_state', g.reshape(x, [-1, tokens, d]));
  g.output('text_feat', itcFeature(ctx, 'text_proj', firstRows(ctx, x, tokens, d)));
}

/**
 * The text encoder cross-attending given image embeddings `encoder_hidden_states [B, N+1, Dv]`
 * (all-ones image mask, as transformers): `last_hidden_state [B, T, D]` (retrieval's ITM
 * `question_embeds`, VQA's question embeddings); for retrieval also `itm_score` = itm_head([CLS]).
 */
export function describeTextEncoderExport<V>(ctx: DescribeContext<V>, config: BlipConfig, arch: BlipArch, tokens: number): void {
  const g = ctx.g;
  const enc = encoderArch(arch);
  const text = textInputs(ctx, TEXT, tokens);
  const imageTokens = blipImageTokens(config.vision);
  const source: CrossSource<V> = { states: encoderStates(ctx, imageTokens, enc.encoderHidden), tokens: imageTokens, mask: null, rowWeights: null };
  const x = describeTextEncoder(ctx, arch, text, source);
  g.output('last_hidden_state', g.reshape(x, [-1, tokens, enc.hidden]));
  if (config.architecture !== 'BlipForImageTextRetrieval') return;
  g.output('itm_score', g.linear(firstRows(ctx, x, tokens, enc.hidden), g.param('itm_head.weight', 'linear'), g.param('itm_head.bias')));
}

/**
 * The text decoder + LM head, teacher forced: `input_ids` / `attention_mask [B, T]` (causal +
 * padding) cross-attending `encoder_hidden_states` → `logits [B, T, vocab]`. Captioning: the image
 * embeddings `[B, N+1, Dv]`, all attended. VQA: question embeddings `[B, sourceTokens, D]` with
 * `encoder_attention_mask [B, sourceTokens]` (the question mask reproduces `forward()`, all ones
 * reproduces `generate()`).
 */
export function describeTextDecoderExport<V>(ctx: DescribeContext<V>, config: BlipConfig, arch: BlipArch, tokens: number, sourceTokens: number): void {
  const g = ctx.g;
  const dec = decoderArch(arch);
  const text = textInputs(ctx, TEXT, tokens);
  let source: CrossSource<V>;
  if (config.architecture === 'BlipForQuestionAnswering') {
    const states = encoderStates(ctx, sourceTokens, dec.encoderHidden);
    const mask = g.toFloat(g.input('encoder_attention_mask', 'int64', ['batch', sourceTokens]));
    source = { states, tokens: sourceTokens, mask: crossMask(ctx, mask, sourceTokens), rowWeights: g.reshape(mask, [-1]) };
  } else {
    const imageTokens = blipImageTokens(config.vision);
    source = { states: encoderStates(ctx, imageTokens, dec.encoderHidden), tokens: imageTokens, mask: null, rowWeights: null };
  }
  const x = describeTextDecoder(ctx, arch, text, source);
  g.output('logits', g.reshape(describeLmHead(ctx, dec, x), [-1, tokens, config.text.vocabSize]));
}
