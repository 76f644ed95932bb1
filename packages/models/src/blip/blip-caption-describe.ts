import type { DescribeContext } from '../ops/describe-context.js';
import type { BlipArch } from './blip-arch.js';
import type { BlipConfig } from './blip-config.js';
import { describeLmHead, describeLmLoss } from './blip-lm-head.js';
import { decoderArch, describeTextDecoder, textInputs } from './blip-towers.js';
import { type BlipImageSource, describeBlipImageTokens } from './blip-vision-describe.js';

/** Reads the `labels` / `label_weights` inputs and outputs the LM loss of `logits [B, T, V]`. */
export function outputLmLoss<V>(ctx: DescribeContext<V>, logits: V, tokens: number, vocab: number, smoothing: number): void {
  const g = ctx.g;
  const labels = g.input('labels', 'int64', ['batch', tokens]);
  const weights = g.input('label_weights', 'float32', ['batch', tokens]);
  g.output('loss', describeLmLoss(ctx, logits, labels, weights, tokens, vocab, smoothing));
}

/**
 * `BlipForConditionalGeneration.forward` (teacher forcing): the decoder reads `input_ids` /
 * `attention_mask` (causal + padding), cross-attends every image token (all-ones mask), and the LM
 * head gives `logits [B, T, vocab]`; with `smoothing` set, also the shifted LM `loss`. With `source`
 * `'embeds'` the image tokens are the input `image_embeds`.
 */
export function describeBlipCaption<V>(ctx: DescribeContext<V>, config: BlipConfig, arch: BlipArch, tokens: number, smoothing: number | null, source: BlipImageSource = 'pixels'): void {
  const g = ctx.g;
  const vision = describeBlipImageTokens(ctx, config.vision, arch.vision, source);
  const text = textInputs(ctx, { ids: 'input_ids', mask: 'attention_mask' }, tokens);
  const x = describeTextDecoder(ctx, arch, text, { states: vision.lastHiddenState, tokens: vision.tokens, mask: null, rowWeights: null });
  const vocab = config.text.vocabSize;
  const logits = g.reshape(describeLmHead(ctx, decoderArch(arch), x), [-1, tokens, vocab]);
  g.output('logits', logits);
  if (smoothing !== null) outputLmLoss(ctx, logits, tokens, vocab, smoothing);
}

/**
 * One greedy step of the text decoder for generation: `input_ids` / `attention_mask` `[B, T]`
 * (T static; positions after the current one are hidden by the causal mask), the cross-attention
 * source `encoder_hidden_states [B, S, width]` with an all-ones mask, and `position [B]` — the row
 * whose LM logits are returned as `next_token_logits [B, vocab]`.
 */
export function describeBlipDecoderStep<V>(ctx: DescribeContext<V>, arch: BlipArch, tokens: number, sourceTokens: number): void {
  const g = ctx.g;
  const dec = decoderArch(arch);
  const text = textInputs(ctx, { ids: 'input_ids', mask: 'attention_mask' }, tokens);
  const states = g.reshape(g.input('encoder_hidden_states', 'float32', ['batch', sourceTokens, dec.encoderHidden]), [-1, dec.encoderHidden]);
  const x = describeTextDecoder(ctx, arch, text, { states, tokens: sourceTokens, mask: null, rowWeights: null });
  const rows = g.pickRows(x, g.input('position', 'int64', ['batch']), tokens);
  g.output('next_token_logits', describeLmHead(ctx, dec, rows));
}
