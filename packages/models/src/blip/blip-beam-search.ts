import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { type BeamCandidates, BeamSearchScorer, type EarlyStopping } from './blip-beam-scorer.js';
import { type DecoderStep, type GenerateOutput, type GenerationLength, newTokenBudget } from './blip-generate.js';
import { type LogitsProcessor, applyLogitsProcessors } from './blip-logits-processors.js';
import { topIndices } from './blip-top-k.js';

/** Everything {@link beamSearch} needs: the prompt, the special ids, the beam settings and the decoder step. */
export interface BeamSearchArgs extends GenerationLength {
  /** Prompt ids, row-major `[batch, promptLength]` (expanded to the beams here). */
  readonly prompt: Int32Array;
  /** Prompt attention mask, row-major `[batch, promptLength]`. */
  readonly promptMask: Int32Array;
  readonly batch: number;
  readonly promptLength: number;
  /** Beams per batch item (transformers rejects 1 — `generate()` runs greedy then — this core accepts it). */
  readonly numBeams: number;
  /** `length_penalty` (default 1). */
  readonly lengthPenalty?: number;
  /** `early_stopping` (default false). */
  readonly earlyStopping?: EarlyStopping;
  /** Applied to the log-softmax scores of every step, before the beam scores are added. */
  readonly processors?: readonly LogitsProcessor[];
  /** The stop token (BLIP: `sep_token_id`). */
  readonly stopTokenId: number;
  readonly padTokenId: number;
  /** Positions the decoder can embed (`max_position_embeddings`). */
  readonly maxPositions: number;
  /** Also return the processed scores of every step and the sequence scores. */
  readonly outputScores?: boolean;
  /** Evaluates `batch · numBeams` rows (row `b · numBeams + k` = beam k of item b). */
  readonly step: DecoderStep;
}

/** Row-wise log-softmax of `[rows, vocab]` logits, computed in float64 and stored as float32. */
export function logSoftmaxRows(logits: ArrayLike<number>, rows: number, vocab: number): Float32Array {
  const out = new Float32Array(rows * vocab);
  for (let r = 0; r < rows; r++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let v = 0; v < vocab; v++) max = Math.max(max, logits[r * vocab + v] as number);
    let sum = 0;
    for (let v = 0; v < vocab; v++) sum += Math.exp((logits[r * vocab + v] as number) - max);
    const lse = max + Math.log(sum);
    for (let v = 0; v < vocab; v++) out[r * vocab + v] = (logits[r * vocab + v] as number) - lse;
  }
  return out;
}

/**
 * Beam search exactly as transformers v4.36.2 `beam_search` + `BeamSearchScorer` run it for a
 * decoder-only model (BLIP's text decoder): beam 0 starts at score 0, the others at −1e9; each step
 * takes the log-softmax of the next-token logits, applies the processors, adds the running beam
 * score, keeps the best `2·numBeams` of `numBeams · vocab` candidates per item and lets the scorer
 * split them into finished hypotheses (stop token) and the next beams; the search ends when every
 * item is done or the length budget is used, and `finalize` picks each item's best hypothesis.
 * The decoder runs on a fixed-length buffer as in greedy search. Returns `sequences [batch, L]`
 * and, with `outputScores`, `sequencesScores [batch]` and the processed scores of every step
 * `[batch · numBeams, vocab]`. Beam scores are kept in float32 like torch; the log-softmax is
 * computed in float64 (an ulp-level difference from torch's float32 kernel).
 */
export async function beamSearch(args: BeamSearchArgs): Promise<GenerateOutput> {
  const { batch, promptLength: p, numBeams: k } = args;
  const rows = batch * k;
  const budget = newTokenBudget(args, p);
  const maxLength = p + budget;
  const width = maxLength - 1;
  if (width > args.maxPositions) {
    throw new InvalidArgumentError({
      message: `Prompt length ${p} + ${budget} new tokens needs ${width} positions; the decoder has max_position_embeddings = ${args.maxPositions}. Lower maxNewTokens.`,
    });
  }
  const scorer = new BeamSearchScorer({
    batch,
    numBeams: k,
    lengthPenalty: args.lengthPenalty ?? 1,
    earlyStopping: args.earlyStopping ?? false,
    maxLength,
    padTokenId: args.padTokenId,
    stopTokenId: args.stopTokenId,
    promptLength: p,
  });
  let seqs = Array.from({ length: rows }, (_, r) => {
    const row = new Int32Array(maxLength).fill(args.padTokenId);
    row.set(args.prompt.subarray(Math.floor(r / k) * p, (Math.floor(r / k) + 1) * p));
    return row;
  });
  let masks = Array.from({ length: rows }, (_, r) => {
    const row = new Int32Array(width).fill(1);
    row.set(args.promptMask.subarray(Math.floor(r / k) * p, (Math.floor(r / k) + 1) * p));
    return row;
  });
  let beamScores: Float32Array = new Float32Array(rows).map((_, r) => (r % k === 0 ? 0 : -1e9));
  const scores: tf.Tensor[] = [];
  let curLen = p;
  try {
    for (;;) {
      const ids = new Int32Array(rows * width);
      const mask = new Int32Array(rows * width);
      seqs.forEach((row, r) => ids.set(row.subarray(0, width), r * width));
      masks.forEach((row, r) => mask.set(row, r * width));
      const inputs = [tf.tensor2d(ids, [rows, width], 'int32'), tf.tensor2d(mask, [rows, width], 'int32'), tf.fill([rows], curLen - 1, 'int32')] as const;
      const logits = await args.step(...inputs).finally(() => tf.dispose([...inputs]));
      const vocab = logits.shape[1] as number;
      const logp = logSoftmaxRows(await logits.data(), rows, vocab);
      logits.dispose();
      if (2 * k > k * vocab) throw new InvalidArgumentError({ message: `Beam search needs a vocabulary of at least 2 tokens; got ${vocab}.` });
      const history = seqs.map((row) => row.subarray(0, curLen));
      applyLogitsProcessors(args.processors ?? [], history, logp, vocab);
      if (args.outputScores) scores.push(tf.tensor2d(logp, [rows, vocab]));
      const total = new Float32Array(rows * vocab);
      for (let r = 0; r < rows; r++) for (let v = 0; v < vocab; v++) total[r * vocab + v] = (logp[r * vocab + v] as number) + (beamScores[r] as number);
      const candidates: BeamCandidates[] = [];
      for (let b = 0; b < batch; b++) {
        const top = topIndices(total, b * k * vocab, k * vocab, 2 * k);
        candidates.push({
          scores: top.map((i) => total[b * k * vocab + i] as number),
          tokens: top.map((i) => i % vocab),
          beams: top.map((i) => Math.floor(i / vocab)),
        });
      }
      const next = scorer.process(seqs, candidates, curLen);
      seqs = Array.from(next.beamIndices, (src, r) => {
        const row = (seqs[src] as Int32Array).slice();
        row[curLen] = next.beamTokens[r] as number;
        return row;
      });
      masks = Array.from(next.beamIndices, (src) => (masks[src] as Int32Array).slice());
      beamScores = next.beamScores;
      curLen++;
      if (scorer.isDone || curLen >= maxLength) break;
    }
  } catch (error) {
    tf.dispose(scores);
    throw error;
  }
  const final = scorer.finalize(seqs, beamScores, curLen);
  const out = new Int32Array(batch * final.width);
  final.sequences.forEach((s, b) => out.set(s, b * final.width));
  const sequences = tf.tensor2d(out, [batch, final.width], 'int32');
  return args.outputScores ? { sequences, scores, sequencesScores: tf.tensor1d(final.scores) } : { sequences };
}
