import type { DescribeContext } from '../ops/describe-context.js';
import type { BlipArch } from './blip-arch.js';
import type { BlipConfig } from './blip-config.js';
import { outputLmLoss } from './blip-caption-describe.js';
import { describeLmHead } from './blip-lm-head.js';
import { type TextTokens, crossMask } from './blip-text-describe.js';
import { decoderArch, describeTextDecoder, describeTextEncoder, encoderArch, textInputs } from './blip-towers.js';
import { type BlipImageSource, describeBlipImageTokens } from './blip-vision-describe.js';

/**
 * The VQA question encoding: vision tower, then the text encoder on `input_ids` / `attention_mask`
 * (bidirectional) cross-attending every image token → `question_embeds [B, Tq, D]`.
 */
export function describeBlipVqaQuestion<V>(ctx: DescribeContext<V>, config: BlipConfig, arch: BlipArch, questionTokens: number, source: BlipImageSource = 'pixels'): { question: V; input: TextTokens<V> } {
  const g = ctx.g;
  const vision = describeBlipImageTokens(ctx, config.vision, arch.vision, source);
  const input = textInputs(ctx, { ids: 'input_ids', mask: 'attention_mask' }, questionTokens);
  const question = describeTextEncoder(ctx, arch, input, { states: vision.lastHiddenState, tokens: vision.tokens, mask: null, rowWeights: null });
  g.output('question_embeds', g.reshape(question, [-1, questionTokens, encoderArch(arch).hidden]));
  return { question, input };
}

/**
 * What `BlipForQuestionAnswering.forward` computes: question encoding, then the answer decoder on
 * `decoder_input_ids` / `decoder_attention_mask` cross-attending the question embeddings with the
 * **question attention mask** → `answer_logits [B, Ta, vocab]`; with `smoothing` set, the LM `loss`.
 * With `source` `'embeds'` the image tokens are the input `image_embeds`.
 */
export function describeBlipVqa<V>(ctx: DescribeContext<V>, config: BlipConfig, arch: BlipArch, questionTokens: number, answerTokens: number, smoothing: number | null, source: BlipImageSource = 'pixels'): void {
  const g = ctx.g;
  const { question, input } = describeBlipVqaQuestion(ctx, config, arch, questionTokens, source);
  const answer = textInputs(ctx, { ids: 'decoder_input_ids', mask: 'decoder_attention_mask' }, answerTokens);
  const x = describeTextDecoder(ctx, arch, answer, {
    states: question,
    tokens: questionTokens,
    mask: crossMask(ctx, input.mask, questionTokens),
    rowWeights: g.reshape(input.mask, [-1]),
  });
  const vocab = config.text.vocabSize;
  const logits = g.reshape(describeLmHead(ctx, decoderArch(arch), x), [-1, answerTokens, vocab]);
  g.output('answer_logits', logits);
  if (smoothing !== null) outputLmLoss(ctx, logits, answerTokens, vocab, smoothing);
}
