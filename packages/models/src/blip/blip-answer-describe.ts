import type { DescribeContext } from '../ops/describe-context.js';
import type { BlipArch } from './blip-arch.js';
import type { BlipConfig } from './blip-config.js';
import { describeLmHead } from './blip-lm-head.js';
import { crossMask } from './blip-text-describe.js';
import { decoderArch, describeTextDecoder, textInputs } from './blip-towers.js';

/**
 * The answer decoder on candidate answers `answer_ids` / `answer_mask` `[rows, Ta]`, cross-attending
 * `question_states [rows, Tq, D]` with the question mask `question_mask [rows, Tq]` (as
 * `BlipForQuestionAnswering.forward` and BLIP's `rank_answer` do). `mode: 'first'` outputs the LM
 * logits of position 0, `first_logits [rows, vocab]`; `mode: 'score'` outputs, for t = 0..Ta−2,
 * `token_log_probs [rows, Ta−1]` = log p(answer_ids[t+1]) and `token_mean_log_probs [rows, Ta−1]` =
 * mean over the vocabulary of log p (the label-smoothing term).
 */
export function describeBlipAnswerDecoder<V>(ctx: DescribeContext<V>, config: BlipConfig, arch: BlipArch, answerTokens: number, questionTokens: number, mode: 'first' | 'score'): void {
  const g = ctx.g;
  const dec = decoderArch(arch);
  const width = dec.encoderHidden;
  const questionMask = g.toFloat(g.input('question_mask', 'int64', ['rows', questionTokens]));
  const states = g.reshape(g.input('question_states', 'float32', ['rows', questionTokens, width]), [-1, width]);
  const answer = textInputs(ctx, { ids: 'answer_ids', mask: 'answer_mask' }, answerTokens, 'rows');
  const x = describeTextDecoder(ctx, arch, answer, {
    states,
    tokens: questionTokens,
    mask: crossMask(ctx, questionMask, questionTokens),
    rowWeights: g.reshape(questionMask, [-1]),
  });
  const vocab = config.text.vocabSize;
  if (mode === 'first') {
    const first = g.reshape(g.slice(g.reshape(x, [-1, answerTokens, dec.hidden]), 1, 0, 1), [-1, dec.hidden]);
    g.output('first_logits', describeLmHead(ctx, dec, first));
    return;
  }
  const logits = g.reshape(describeLmHead(ctx, dec, x), [-1, answerTokens, vocab]);
  const logp = g.logSoftmax(g.reshape(g.slice(logits, 1, 0, answerTokens - 1), [-1, vocab])); // [rows·(Ta−1), V]
  const target = g.reshape(g.slice(answer.ids, 1, 1, answerTokens), [-1]);
  const picked = g.pickRows(g.reshape(logp, [-1, 1]), target, vocab);
  const mean = g.matmul(logp, g.constant(new Float32Array(vocab).fill(1 / vocab), [vocab, 1]));
  g.output('token_log_probs', g.reshape(picked, [-1, answerTokens - 1]));
  g.output('token_mean_log_probs', g.reshape(mean, [-1, answerTokens - 1]));
}
