import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { relativeError } from './fixtures.js';

/** An ORT session on one thread, quiet unless something fails. */
export function openSession(file: string, logSeverityLevel: 3 | 4 = 3): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(file, { logSeverityLevel, intraOpNumThreads: 1 });
}

/** A reference tensor as an ORT feed: float32 as is, integer tensors as int64. */
export function toOrt(t: tf.Tensor): ort.Tensor {
  if (t.dtype === 'float32') return new ort.Tensor('float32', t.dataSync() as Float32Array, t.shape);
  return new ort.Tensor('int64', BigInt64Array.from(t.dataSync(), (v) => BigInt(v)), t.shape);
}

/** Float values with their dims: an ORT output, or host data. */
export interface HostFloats {
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** The fixtures' metric `max|got − ref| / max(1, max|ref|)` of an ORT output; Infinity when missing. */
export function ortError(got: HostFloats | undefined, ref: tf.Tensor): number {
  if (!got) return Number.POSITIVE_INFINITY;
  const t = tf.tensor(Float32Array.from(got.data as ArrayLike<number>), [...got.dims]);
  try {
    return relativeError(t, ref);
  } finally {
    t.dispose();
  }
}

/** Rows `[a, b)` of a `[B, …]` tensor, as a new tensor. */
export function rows(t: tf.Tensor, a: number, b: number): tf.Tensor {
  return tf.slice(t, [a], [b - a]);
}

/** What {@link greedyWithOrt} needs: the decoder session and the prompt. */
export interface OrtGreedyArgs {
  /** `text_decoder_model.onnx`: `input_ids`, `attention_mask` (+ the feeds below) → `logits [B, S, V]`. */
  readonly decoder: ort.InferenceSession;
  /** The cross-attention feeds (`encoder_hidden_states`, and `encoder_attention_mask` for VQA). */
  readonly source: Readonly<Record<string, ort.Tensor>>;
  /** Prompt ids per row (equal lengths), first id `[DEC]`. */
  readonly prompt: readonly (readonly number[])[];
  /** Prompt mask per row (default all ones). */
  readonly promptMask?: readonly (readonly number[])[];
  readonly maxNewTokens: number;
  readonly stopTokenId: number;
  readonly padTokenId: number;
}

/**
 * Greedy decoding with onnxruntime-node alone, as transformers' `greedy_search` does it for BLIP:
 * run the decoder on the tokens so far, take the last position's logits, argmax; finished rows
 * (stop token produced) continue with the pad id; the mask grows with ones. Returns the sequences
 * (prompt included) and each step's `[B, V]` logits.
 */
export async function greedyWithOrt(args: OrtGreedyArgs): Promise<{ sequences: number[][]; scores: Float32Array[] }> {
  const ids = args.prompt.map((r) => [...r]);
  const mask = (args.promptMask ?? args.prompt.map((r) => r.map(() => 1))).map((r) => [...r]);
  const done = ids.map(() => false);
  const scores: Float32Array[] = [];
  for (let step = 0; step < args.maxNewTokens && done.some((d) => !d); step++) {
    const [b, s] = [ids.length, (ids[0] as number[]).length];
    const feed = (m: number[][]) => new ort.Tensor('int64', BigInt64Array.from(m.flat(), (v) => BigInt(v)), [b, s]);
    const { logits } = await args.decoder.run({ input_ids: feed(ids), attention_mask: feed(mask), ...args.source });
    const vocab = (logits?.dims[2] ?? 0) as number;
    const data = logits?.data as Float32Array;
    const last = new Float32Array(b * vocab);
    for (let r = 0; r < b; r++) last.set(data.subarray((r * s + s - 1) * vocab, (r * s + s) * vocab), r * vocab);
    scores.push(last);
    ids.forEach((row, r) => {
      let next = args.padTokenId;
      if (!done[r]) {
        next = 0;
        for (let j = 1; j < vocab; j++) if ((last[r * vocab + j] as number) > (last[r * vocab + next] as number)) next = j;
      }
      if (next === args.stopTokenId) done[r] = true;
      row.push(next);
      mask[r]?.push(1);
    });
  }
  return { sequences: ids, scores };
}
