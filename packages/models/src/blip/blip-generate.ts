import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import type { EarlyStopping } from './blip-beam-scorer.js';
import { type LogitsProcessor, type LogitsProcessorOptions, applyLogitsProcessors } from './blip-logits-processors.js';

/** Length options of greedy generation (transformers semantics). */
export interface GenerationLength {
  /** Tokens to generate after the prompt (wins over `maxLength`). */
  readonly maxNewTokens?: number;
  /** Total length including the prompt (transformers' `max_length`, default 20). */
  readonly maxLength?: number;
}

/**
 * The generation options BLIP's `generate()` honours, with transformers v4.36.2 semantics and
 * defaults (those of BLIP's text config): greedy unless `numBeams > 1`.
 */
export interface GenerationOptions extends GenerationLength, LogitsProcessorOptions {
  /** `num_beams` (default 1: greedy search). */
  readonly numBeams?: number;
  /** `length_penalty`, beam search only: hypothesis score = Σ log p / generated_length ** lengthPenalty (default 1). */
  readonly lengthPenalty?: number;
  /** `early_stopping`, beam search only: true, false (heuristic, default) or 'never'. */
  readonly earlyStopping?: EarlyStopping;
  /** Return the scores of every step (and, for beam search, the sequence scores). */
  readonly outputScores?: boolean;
}

/** Output of `generate()`. Tensors are owned by the caller. */
export interface GenerateOutput {
  /** `[B, prompt + generated]` int32 ids (prompt included, finished rows padded with pad_token_id). */
  readonly sequences: tf.Tensor;
  /**
   * Per generated step (when `outputScores`): greedy — the `[B, vocab]` logits the choice was made
   * on (after the logits processors); beam search — the processed log-softmax scores `[B · numBeams, vocab]`.
   */
  readonly scores?: tf.Tensor[];
  /** Beam search with `outputScores`: each returned sequence's length-penalised score `[B]`. */
  readonly sequencesScores?: tf.Tensor;
}

/** One decoder evaluation: ids / mask `[B, T]`, the row to read `[B]` → next-token logits `[B, vocab]`. */
export type DecoderStep = (inputIds: tf.Tensor, attentionMask: tf.Tensor, position: tf.Tensor) => Promise<tf.Tensor>;

/** Everything {@link greedyGenerate} needs: the prompt, the special ids and the decoder step. */
export interface GreedyArgs extends GenerationLength {
  /** Prompt ids, row-major `[batch, promptLength]`. */
  readonly prompt: Int32Array;
  /** Prompt attention mask, row-major `[batch, promptLength]`. */
  readonly promptMask: Int32Array;
  readonly batch: number;
  readonly promptLength: number;
  /** The stop token (BLIP: `sep_token_id`). */
  readonly stopTokenId: number;
  readonly padTokenId: number;
  /** Positions the decoder can embed (`max_position_embeddings`). */
  readonly maxPositions: number;
  readonly outputScores?: boolean;
  /** Logits processors applied to each step's logits before the argmax (none by default). */
  readonly processors?: readonly LogitsProcessor[];
  readonly step: DecoderStep;
}

/** How many tokens greedy generation may add after a prompt of `promptLength`. */
export function newTokenBudget(length: GenerationLength, promptLength: number): number {
  if (length.maxNewTokens !== undefined) {
    if (!Number.isInteger(length.maxNewTokens) || length.maxNewTokens < 1) {
      throw new InvalidArgumentError({ message: `maxNewTokens must be a positive integer, got ${length.maxNewTokens}.` });
    }
    return length.maxNewTokens;
  }
  const maxLength = length.maxLength ?? 20;
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new InvalidArgumentError({ message: `maxLength must be a positive integer, got ${maxLength}.` });
  return Math.max(1, maxLength - promptLength);
}

/** Index of the first maximum of `row` (torch.argmax's tie rule). */
function argmax(data: Float32Array | Int32Array | Uint8Array, offset: number, width: number): number {
  let best = offset;
  for (let j = offset + 1; j < offset + width; j++) if ((data[j] as number) > (data[best] as number)) best = j;
  return best - offset;
}

/**
 * Greedy search exactly as transformers v4.36.2 `greedy_search` runs it for BLIP: at each step the
 * logits of the last position, after the logits processors (none by default), pick the next token
 * by argmax; rows that produced `stopTokenId` are finished and get `padTokenId` from then on; the
 * search ends when every row is finished or the budget is used. The attention mask grows with ones.
 *
 * The decoder is evaluated on a fixed-length buffer `[B, prompt + budget − 1]` (one graph for the
 * whole search): the causal mask hides every position after the one read, so each step equals a
 * full recompute over the tokens so far.
 */
export async function greedyGenerate(args: GreedyArgs): Promise<GenerateOutput> {
  const { batch, promptLength: p } = args;
  const budget = newTokenBudget(args, p);
  const width = p + budget - 1;
  if (width > args.maxPositions) {
    throw new InvalidArgumentError({
      message: `Prompt length ${p} + ${budget} new tokens needs ${width} positions; the decoder has max_position_embeddings = ${args.maxPositions}. Lower maxNewTokens.`,
    });
  }
  const ids = new Int32Array(batch * width).fill(args.padTokenId);
  const mask = new Int32Array(batch * width).fill(1);
  const generated: number[][] = Array.from({ length: batch }, () => []);
  for (let b = 0; b < batch; b++) {
    ids.set(args.prompt.subarray(b * p, (b + 1) * p), b * width);
    mask.set(args.promptMask.subarray(b * p, (b + 1) * p), b * width);
  }
  const unfinished = new Array<boolean>(batch).fill(true);
  const scores: tf.Tensor[] = [];
  try {
    for (let s = 0; s < budget; s++) {
      const cur = p + s; // tokens so far; the next token is predicted from position cur − 1
      const inputs = [tf.tensor2d(ids, [batch, width], 'int32'), tf.tensor2d(mask, [batch, width], 'int32'), tf.fill([batch], cur - 1, 'int32')] as const;
      let logits = await args.step(...inputs).finally(() => tf.dispose([...inputs]));
      let data = await logits.data();
      const vocab = logits.shape[1] as number;
      if (args.processors?.length) {
        const processed = Float32Array.from(data);
        const history = Array.from({ length: batch }, (_, b) => ids.subarray(b * width, b * width + cur));
        applyLogitsProcessors(args.processors, history, processed, vocab);
        logits.dispose();
        logits = tf.tensor2d(processed, [batch, vocab]);
        data = processed;
      }
      if (args.outputScores) scores.push(logits);
      else logits.dispose();
      for (let b = 0; b < batch; b++) {
        const token = unfinished[b] ? argmax(data as Float32Array, b * vocab, vocab) : args.padTokenId;
        generated[b]?.push(token);
        if (cur < width) ids[b * width + cur] = token;
        if (token === args.stopTokenId) unfinished[b] = false;
      }
      if (!unfinished.some(Boolean)) break;
    }
  } catch (error) {
    tf.dispose(scores);
    throw error;
  }
  const steps = generated[0]?.length ?? 0;
  const out = new Int32Array(batch * (p + steps));
  for (let b = 0; b < batch; b++) {
    out.set(args.prompt.subarray(b * p, (b + 1) * p), b * (p + steps));
    out.set(generated[b] as number[], b * (p + steps) + p);
  }
  const sequences = tf.tensor2d(out, [batch, p + steps], 'int32');
  return args.outputScores ? { sequences, scores } : { sequences };
}
