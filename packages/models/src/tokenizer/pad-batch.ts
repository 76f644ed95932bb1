import { InvalidArgumentError } from '@vlp/core';
import type { EncodedBatch, PaddingStrategy } from './types.js';

/** One encoded sequence split around its content, so that truncation can keep the special tokens. */
export interface SequenceParts {
  prefix: readonly number[];
  content: readonly number[];
  suffix: readonly number[];
}

/** Options of {@link padBatch}. */
export interface PadBatchOptions {
  padding: PaddingStrategy;
  truncation: boolean;
  maxLength: number | undefined;
  padTokenId: number;
}

/**
 * Truncates and pads a batch as transformers does for single sequences: truncation drops content tokens from the
 * end so that `prefix + content + suffix` fits `maxLength` (`longest_first`); padding appends `padTokenId` on the
 * right with attention mask 0 (`'max_length'`: up to `maxLength`, never cutting longer rows; `'longest'`: up to the
 * longest row).
 */
export function padBatch(rows: readonly SequenceParts[], options: PadBatchOptions): EncodedBatch {
  const { padding, truncation, maxLength } = options;
  if ((truncation || padding === 'max_length') && maxLength === undefined) {
    throw new InvalidArgumentError({
      message:
        `padding 'max_length' and truncation need a maxLength, and this tokenizer has none: pass { maxLength } ` +
        'to encode() or loadTokenizer(), or add max_position_embeddings to config.json.',
    });
  }
  if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 1)) {
    throw new InvalidArgumentError({
      message: `maxLength must be a positive integer, got ${maxLength}.`,
      actual: maxLength,
    });
  }
  const ids = rows.map(({ prefix, content, suffix }) => {
    let kept = content;
    if (truncation && maxLength !== undefined) {
      const room = Math.max(0, maxLength - prefix.length - suffix.length);
      if (content.length > room) kept = content.slice(0, room);
    }
    return [...prefix, ...kept, ...suffix];
  });
  let target = 0;
  if (padding === 'max_length') target = maxLength ?? 0;
  else if (padding === 'longest') target = Math.max(0, ...ids.map((r) => r.length));
  const inputIds: number[][] = [];
  const attentionMask: number[][] = [];
  for (const row of ids) {
    const pad = Math.max(0, target - row.length);
    inputIds.push([...row, ...new Array<number>(pad).fill(options.padTokenId)]);
    attentionMask.push([...new Array<number>(row.length).fill(1), ...new Array<number>(pad).fill(0)]);
  }
  return { inputIds, attentionMask };
}

/** A padded batch as flat row-major `Int32Array`s with its `[batch, length]` shape (e.g. to build tensors). */
export interface FlatEncodedBatch {
  inputIds: Int32Array;
  attentionMask: Int32Array;
  shape: [number, number];
}

/** Flattens an {@link EncodedBatch} whose rows all have the same length (encode with `padding`). */
export function flattenBatch(batch: EncodedBatch): FlatEncodedBatch {
  const rows = batch.inputIds.length;
  const length = rows === 0 ? 0 : batch.inputIds[0].length;
  if (batch.inputIds.some((r) => r.length !== length)) {
    throw new InvalidArgumentError({
      message: 'flattenBatch needs rows of equal length: encode with { padding: "longest" } or "max_length".',
      actual: batch.inputIds.map((r) => r.length),
    });
  }
  const inputIds = new Int32Array(rows * length);
  const attentionMask = new Int32Array(rows * length);
  batch.inputIds.forEach((row, i) => inputIds.set(row, i * length));
  batch.attentionMask.forEach((row, i) => attentionMask.set(row, i * length));
  return { inputIds, attentionMask, shape: [rows, length] };
}
