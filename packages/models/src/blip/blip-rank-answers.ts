import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { describeBlipAnswerDecoder } from './blip-answer-describe.js';
import type { EncTokenOption } from './blip-enc-token.js';
import { BLIP_LM_LABEL_SMOOTHING } from './blip-lm-head.js';
import type { BlipCallOptions } from './blip-model-base.js';
import { topIndices } from './blip-top-k.js';
import type { BlipForQuestionAnswering } from './blip-vqa-model.js';

/** Questions and the candidate answer list (tensors stay owned by the caller). */
export interface BlipAnswerRankingInput {
  /** `[B, 3, S, S]` images. */
  readonly pixelValues: tf.Tensor;
  /** Question ids `[B, Tq]`. */
  readonly inputIds: tf.Tensor;
  /** Question mask `[B, Tq]` (default all ones). */
  readonly attentionMask?: tf.Tensor;
  /** Candidate answers `[C, Ta]` as tokenized (`[CLS] … [SEP] [PAD]…`, Ta ≥ 2); column 0 becomes `[DEC]`. */
  readonly answerIds: tf.Tensor;
  /** `[C, Ta]` (default all ones). */
  readonly answerAttentionMask?: tf.Tensor;
}

/** Options of {@link blipRankAnswers}. */
export interface BlipRankAnswersOptions extends BlipCallOptions {
  /** Candidates kept by first-token probability (official `k_test` 128; clamped to C). */
  readonly k?: number;
  /** Label smoothing of the per-answer loss, as BLIP's `rank_answer` computes it (default 0.1; 0 = plain log-likelihood). */
  readonly labelSmoothing?: number;
  /** Replace the question's first token by `[ENC]`, as the official BLIP VQA does (default false: ids as given, as HF). */
  readonly encToken?: EncTokenOption;
  /** Decoder rows (question × candidate) per run (default 64). */
  readonly batchSize?: number;
}

/** The ranking of one question. */
export interface RankedAnswers {
  /** The chosen candidate (index into the answer list): the best score among the top-k. */
  readonly best: number;
  /** The top-k candidates by first-token probability, most probable first. */
  readonly topK: number[];
  /** Their first-token probabilities (aligned with `topK`). */
  readonly firstTokenProbs: number[];
  /** Their scores: −Σ (label-smoothed) token losses over the non-pad answer tokens (aligned with `topK`). */
  readonly scores: number[];
  /** `topK` ordered by score, best first. */
  readonly ranking: number[];
}

function softmaxAt(row: readonly number[], ids: readonly number[]): number[] {
  const max = Math.max(...row);
  const z = row.reduce((s, v) => s + Math.exp(v - max), 0);
  return ids.map((id) => Math.exp((row[id] as number) - max) / z);
}

async function runDecoder(model: BlipForQuestionAnswering, feeds: Record<string, tf.Tensor>, mode: 'first' | 'score', options: BlipRankAnswersOptions): Promise<Record<string, tf.Tensor>> {
  const answerTokens = feeds.answer_ids?.shape[1] as number;
  const questionTokens = feeds.question_mask?.shape[1] as number;
  const { outputs } = await model.runner.run({
    key: `blip:answer-${mode}:${answerTokens}:${questionTokens}`,
    describe: (ctx) => describeBlipAnswerDecoder(ctx, model.config, model.arch, answerTokens, questionTokens, mode),
    feeds,
    engine: options.engine,
  });
  return outputs;
}

/**
 * VQA by answer ranking, BLIP's `rank_answer` (used by MULTIFLOW / UPop for VQA v2): the question
 * is encoded with the image; the answer decoder reads `[DEC]` cross-attending the question states
 * (question mask) and the softmax of its first logits at each candidate's first answer token keeps
 * the top-k candidates; each is then scored by its full decoder pass — −Σ over the non-pad target
 * tokens of the label-smoothed cross-entropy (BLIP's `reduction='none'` loss) — and the best score
 * wins. Ties keep the lower index.
 */
export async function blipRankAnswers(model: BlipForQuestionAnswering, input: BlipAnswerRankingInput, options: BlipRankAnswersOptions = {}): Promise<RankedAnswers[]> {
  const [candidates, answerTokens] = input.answerIds.shape as [number, number];
  if (input.answerIds.rank !== 2 || answerTokens < 2) throw new InvalidArgumentError({ message: `answerIds must be [candidates, tokens ≥ 2] ([DEC] + answer); got [${input.answerIds.shape.join(', ')}].` });
  const k = Math.min(options.k ?? 128, candidates);
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError({ message: `k must be a positive integer, got ${options.k}.` });
  const eps = options.labelSmoothing ?? BLIP_LM_LABEL_SMOOTHING;
  if (!(eps >= 0 && eps < 1)) throw new InvalidArgumentError({ message: `labelSmoothing must be in [0, 1), got ${eps}.` });
  const batchSize = options.batchSize ?? 64;
  const t = model.config.text;
  if (input.answerAttentionMask && input.answerAttentionMask.shape.join() !== input.answerIds.shape.join()) {
    throw new InvalidArgumentError({ message: `answerAttentionMask must be [${input.answerIds.shape.join(', ')}]; got [${input.answerAttentionMask.shape.join(', ')}].` });
  }
  const answers = input.answerIds.arraySync() as number[][];
  for (const row of answers) row[0] = t.bosTokenId;
  const answerMask = (input.answerAttentionMask?.arraySync() as number[][] | undefined) ?? answers.map((row) => row.map(() => 1));
  const questionMask = input.attentionMask ?? tf.onesLike(input.inputIds);
  const states = await model.encodeQuestion(input.inputIds, input.pixelValues, { attentionMask: questionMask, engine: options.engine, encToken: options.encToken });
  try {
    const batch = states.shape[0] as number;
    const first = tf.tidy(() => ({ answer_ids: tf.fill([batch, 1], t.bosTokenId, 'int32'), answer_mask: tf.ones([batch, 1], 'int32'), question_states: states, question_mask: questionMask }));
    const firstOut = await runDecoder(model, first, 'first', options).finally(() => tf.dispose([first.answer_ids, first.answer_mask]));
    const firstLogits = (firstOut.first_logits as tf.Tensor).arraySync() as number[][];
    tf.dispose(Object.values(firstOut));
    const firstTokens = answers.map((row) => row[1] as number);
    const picks = firstLogits.map((row) => {
      const probs = softmaxAt(row, firstTokens);
      const topK = topIndices(probs, 0, probs.length, k);
      return { topK, firstTokenProbs: topK.map((c) => probs[c] as number) };
    });
    const rows = picks.flatMap((p, q) => p.topK.map((c) => ({ q, c })));
    const scores: number[] = [];
    for (let start = 0; start < rows.length; start += batchSize) {
      const chunk = rows.slice(start, start + batchSize);
      const feeds = tf.tidy(() => {
        const qIndex = tf.tensor1d(chunk.map((r) => r.q), 'int32');
        return {
          answer_ids: tf.tensor2d(chunk.map((r) => answers[r.c] as number[]), undefined, 'int32'),
          answer_mask: tf.tensor2d(chunk.map((r) => answerMask[r.c] as number[]), undefined, 'int32'),
          question_states: tf.gather(states, qIndex),
          question_mask: tf.gather(questionMask, qIndex),
        };
      });
      const out = await runDecoder(model, feeds, 'score', options).finally(() => tf.dispose(Object.values(feeds)));
      const lp = (out.token_log_probs as tf.Tensor).arraySync() as number[][];
      const mean = (out.token_mean_log_probs as tf.Tensor).arraySync() as number[][];
      tf.dispose(Object.values(out));
      chunk.forEach((r, n) => {
        const target = answers[r.c] as number[];
        let sum = 0;
        for (let j = 0; j + 1 < answerTokens; j++) if (target[j + 1] !== t.padTokenId) sum += (1 - eps) * ((lp[n] as number[])[j] as number) + eps * ((mean[n] as number[])[j] as number);
        scores.push(sum);
      });
    }
    let offset = 0;
    return picks.map((p) => {
      const s = scores.slice(offset, offset + p.topK.length);
      offset += p.topK.length;
      const order = topIndices(s, 0, s.length, s.length);
      return { best: p.topK[order[0] as number] as number, topK: p.topK, firstTokenProbs: p.firstTokenProbs, scores: s, ranking: order.map((i) => p.topK[i] as number) };
    });
  } finally {
    states.dispose();
    if (!input.attentionMask) questionMask.dispose();
  }
}
