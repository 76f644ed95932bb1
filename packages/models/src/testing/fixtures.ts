import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { readSafetensors } from '@vlp/core';

/** `../shared/fixtures/hf` beside the repository checkout (as on CI). */
export const HF_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/fixtures/hf');

/** Reads every tensor of a reference file: floats as float32 tensors, I64/U8 as int32 tensors. */
export async function readReference(file: string): Promise<Map<string, tf.Tensor>> {
  const st = await readSafetensors(file);
  const out = new Map<string, tf.Tensor>();
  try {
    for (const name of st.names) {
      const info = st.info(name);
      const values = await st.readFloat32(name);
      out.set(name, info.dtype.startsWith('F') || info.dtype === 'BF16' ? tf.tensor(values, [...info.shape]) : tf.tensor(Int32Array.from(values), [...info.shape], 'int32'));
    }
  } finally {
    await st.close();
  }
  return out;
}

/** `max|got − ref| / max(1, max|ref|)` — the fixtures' tolerance metric. */
export function relativeError(got: tf.Tensor, ref: tf.Tensor): number {
  if (got.shape.join() !== ref.shape.join()) return Number.POSITIVE_INFINITY;
  const g = got.dataSync();
  const r = ref.dataSync();
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < r.length; i++) {
    diff = Math.max(diff, Math.abs((g[i] as number) - (r[i] as number)));
    scale = Math.max(scale, Math.abs(r[i] as number));
  }
  return diff / scale;
}
