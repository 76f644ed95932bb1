import { InvalidArgumentError } from '@vlp/core';

/**
 * One transformers logits processor, applied on the host to a block of scores: `scores` is
 * row-major `[rows, vocab]` and is modified in place; `tokens[r]` holds row r's ids so far (the
 * prompt included — transformers' `input_ids`). Greedy search applies processors to the raw
 * logits, beam search to the log-softmax scores (as transformers v4.36.2 does).
 */
export interface LogitsProcessor {
  /** The transformers class this mirrors (for messages). */
  readonly name: string;
  apply(tokens: readonly ArrayLike<number>[], scores: Float32Array, vocab: number): void;
}

function checkInteger(value: number, what: string, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError({ message: `${what} must be an integer ≥ ${min}, got ${value}.`, actual: value });
  }
}

/**
 * `MinLengthLogitsProcessor`: while a row holds fewer than `minLength` tokens (prompt included),
 * the stop ids get −∞. BLIP's `generate()` stops on `sep_token_id`, so that is the id to pass.
 */
export function minLengthProcessor(minLength: number, stopIds: readonly number[]): LogitsProcessor {
  checkInteger(minLength, 'minLength', 0);
  return {
    name: 'MinLengthLogitsProcessor',
    apply(tokens, scores, vocab) {
      tokens.forEach((row, r) => {
        if (row.length < minLength) for (const id of stopIds) scores[r * vocab + id] = Number.NEGATIVE_INFINITY;
      });
    },
  };
}

/**
 * `MinNewTokensLengthLogitsProcessor`: while a row has generated fewer than `minNewTokens` tokens
 * after its `promptLength` prompt tokens, the stop ids get −∞.
 */
export function minNewTokensProcessor(promptLength: number, minNewTokens: number, stopIds: readonly number[]): LogitsProcessor {
  checkInteger(minNewTokens, 'minNewTokens', 0);
  return {
    name: 'MinNewTokensLengthLogitsProcessor',
    apply(tokens, scores, vocab) {
      tokens.forEach((row, r) => {
        if (row.length - promptLength < minNewTokens) for (const id of stopIds) scores[r * vocab + id] = Number.NEGATIVE_INFINITY;
      });
    },
  };
}

/**
 * `RepetitionPenaltyLogitsProcessor` (CTRL's penalty): every id already in a row (prompt
 * included; each distinct id once) has its score `s` replaced by `s · penalty` when `s < 0`, else
 * `s / penalty`. Computed in float32 like torch (`penalty` is rounded to float32 first).
 */
export function repetitionPenaltyProcessor(penalty: number): LogitsProcessor {
  if (!(penalty > 0) || !Number.isFinite(penalty)) {
    throw new InvalidArgumentError({ message: `repetitionPenalty must be a strictly positive number, got ${penalty}.`, actual: penalty });
  }
  const p = Math.fround(penalty);
  return {
    name: 'RepetitionPenaltyLogitsProcessor',
    apply(tokens, scores, vocab) {
      tokens.forEach((row, r) => {
        const seen = new Set<number>();
        for (let t = 0; t < row.length; t++) {
          const id = row[t] as number;
          if (seen.has(id)) continue;
          seen.add(id);
          const s = scores[r * vocab + id] as number;
          scores[r * vocab + id] = s < 0 ? s * p : s / p;
        }
      });
    },
  };
}

/**
 * The ids that would repeat an n-gram of `row`: those following an earlier occurrence of the
 * row's last `n − 1` tokens (transformers' `_calc_banned_ngram_tokens`; none while the row is
 * shorter than `n − 1`).
 */
export function bannedNgramTokens(row: ArrayLike<number>, n: number): number[] {
  const len = row.length;
  if (len + 1 < n) return [];
  const banned: number[] = [];
  for (let start = 0; start + n <= len; start++) {
    let same = true;
    for (let j = 0; j < n - 1 && same; j++) same = row[start + j] === row[len - (n - 1) + j];
    if (same) banned.push(row[start + n - 1] as number);
  }
  return banned;
}

/** `NoRepeatNGramLogitsProcessor`: ids that would complete an n-gram already in the row get −∞. */
export function noRepeatNgramProcessor(ngramSize: number): LogitsProcessor {
  checkInteger(ngramSize, 'noRepeatNgramSize', 1);
  return {
    name: 'NoRepeatNGramLogitsProcessor',
    apply(tokens, scores, vocab) {
      tokens.forEach((row, r) => {
        for (const id of bannedNgramTokens(row, ngramSize)) scores[r * vocab + id] = Number.NEGATIVE_INFINITY;
      });
    },
  };
}

/** The processor options of BLIP's `generate()` (transformers `GenerationConfig` fields). */
export interface LogitsProcessorOptions {
  /** `min_length`: minimum total length, prompt included (default 0: off). */
  readonly minLength?: number;
  /** `min_new_tokens`: minimum number of generated tokens (default 0: off). */
  readonly minNewTokens?: number;
  /** `repetition_penalty` (default 1: off). */
  readonly repetitionPenalty?: number;
  /** `no_repeat_ngram_size` (default 0: off). */
  readonly noRepeatNgramSize?: number;
}

/**
 * The processors transformers v4.36.2 `_get_logits_processor` builds for these options, in its
 * order: repetition penalty, no-repeat-n-gram, min length, min new tokens. Empty when all are off.
 */
export function buildLogitsProcessors(options: LogitsProcessorOptions, context: { promptLength: number; stopIds: readonly number[] }): LogitsProcessor[] {
  const out: LogitsProcessor[] = [];
  if (options.repetitionPenalty !== undefined && options.repetitionPenalty !== 1) out.push(repetitionPenaltyProcessor(options.repetitionPenalty));
  if (options.noRepeatNgramSize !== undefined) {
    checkInteger(options.noRepeatNgramSize, 'noRepeatNgramSize', 0);
    if (options.noRepeatNgramSize > 0) out.push(noRepeatNgramProcessor(options.noRepeatNgramSize));
  }
  if (options.minLength !== undefined) {
    checkInteger(options.minLength, 'minLength', 0);
    if (options.minLength > 0) out.push(minLengthProcessor(options.minLength, context.stopIds));
  }
  if (options.minNewTokens !== undefined) {
    checkInteger(options.minNewTokens, 'minNewTokens', 0);
    if (options.minNewTokens > 0) out.push(minNewTokensProcessor(context.promptLength, options.minNewTokens, context.stopIds));
  }
  return out;
}

/** Applies `processors` in order (no-op when empty). */
export function applyLogitsProcessors(processors: readonly LogitsProcessor[], tokens: readonly ArrayLike<number>[], scores: Float32Array, vocab: number): void {
  for (const p of processors) p.apply(tokens, scores, vocab);
}
