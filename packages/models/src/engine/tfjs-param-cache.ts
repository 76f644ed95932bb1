import * as tf from '@tensorflow/tfjs';
import type { ParamStore } from '../weights/param-store.js';

/**
 * tfjs copies of a {@link ParamStore}'s parameters, created on first use (linear weights transposed
 * once to `[in, out]`) and dropped when the store's version changes. Owns its tensors: call
 * {@link TfjsParamCache.dispose} when the model is disposed.
 */
export class TfjsParamCache {
  private readonly tensors = new Map<string, tf.Tensor>();
  private version: number;

  constructor(private readonly store: ParamStore) {
    this.version = store.version;
  }

  get(name: string, layout: 'as-is' | 'linear'): tf.Tensor {
    if (this.version !== this.store.version) this.dispose();
    const key = `${layout}:${name}`;
    let t = this.tensors.get(key);
    if (!t) {
      const p = this.store.get(name);
      t = tf.tidy(() => {
        const raw = tf.tensor(p.data, p.shape as number[], 'float32');
        return layout === 'linear' ? toLinearLayout(raw) : raw;
      });
      tf.keep(t);
      this.tensors.set(key, t);
    }
    return t;
  }

  dispose(): void {
    for (const t of this.tensors.values()) t.dispose();
    this.tensors.clear();
    this.version = this.store.version;
  }
}

/** HF `[out, ...rest]` → `[prod(rest), out]` (a conv weight becomes a patch matmul weight). */
export function toLinearLayout(weight: tf.Tensor): tf.Tensor {
  const out = weight.shape[0] as number;
  return tf.transpose(tf.reshape(weight, [out, -1]));
}
