import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { readSafetensors } from '@vlp/core';

/** `../shared/fixtures/hf` beside the repository checkout (as on CI). */
export const HF_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/fixtures/hf');

/** Reads every tensor of a reference file as a host array (I64/U8 converted to numbers). */
export async function readReferenceArrays(file: string): Promise<Map<string, { values: Float32Array; shape: number[] }>> {
  const st = await readSafetensors(file);
  const out = new Map<string, { values: Float32Array; shape: number[] }>();
  try {
    for (const name of st.names) out.set(name, { values: await st.readFloat32(name), shape: [...st.info(name).shape] });
  } finally {
    await st.close();
  }
  return out;
}

/** The reference CLIP inputs as tensors (ids and mask as int32). The caller disposes them. */
export async function readClipInputs(file: string): Promise<{ pixelValues: tf.Tensor; inputIds: tf.Tensor; attentionMask: tf.Tensor }> {
  const arrays = await readReferenceArrays(file);
  const get = (name: string) => arrays.get(name)!;
  return {
    pixelValues: tf.tensor(get('pixel_values').values, get('pixel_values').shape),
    inputIds: tf.tensor(Int32Array.from(get('input_ids').values), get('input_ids').shape, 'int32'),
    attentionMask: tf.tensor(Int32Array.from(get('attention_mask').values), get('attention_mask').shape, 'int32'),
  };
}

/** `max|got − ref| / max(1, max|ref|)`, the fixtures' tolerance metric. */
export function relativeError(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (got.length !== ref.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return diff / scale;
}
