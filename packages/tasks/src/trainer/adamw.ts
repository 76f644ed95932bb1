import * as tf from '@tensorflow/tfjs';

/** AdamW hyper-parameters (decoupled weight decay, as `torch.optim.AdamW`). */
export interface AdamWOptions {
  readonly weightDecay?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

/** Optimizer state of one parameter. */
export interface AdamWSlot {
  readonly m: tf.Variable;
  readonly v: tf.Variable;
}

/**
 * One AdamW update of `param` in place (torch semantics): `p ← p − lr·wd·p`, then
 * `m ← β1·m + (1−β1)·g`, `v ← β2·v + (1−β2)·g²`, `p ← p − lr·m̂/(√v̂ + ε)` with bias-corrected
 * `m̂ = m/(1−β1^t)`, `v̂ = v/(1−β2^t)`. `t` is the 1-based step; `decay` false skips weight decay.
 */
export function adamwUpdate(param: tf.Variable, grad: tf.Tensor, slot: AdamWSlot, lr: number, t: number, decay: boolean, o: AdamWOptions = {}): void {
  const beta1 = o.beta1 ?? 0.9;
  const beta2 = o.beta2 ?? 0.999;
  const eps = o.epsilon ?? 1e-8;
  const wd = decay ? (o.weightDecay ?? 0.01) : 0;
  tf.tidy(() => {
    const m = tf.add(tf.mul(slot.m, beta1), tf.mul(grad, 1 - beta1));
    const v = tf.add(tf.mul(slot.v, beta2), tf.mul(tf.square(grad), 1 - beta2));
    slot.m.assign(m);
    slot.v.assign(v);
    const mHat = tf.div(m, 1 - beta1 ** t);
    const vHat = tf.div(v, 1 - beta2 ** t);
    const decayed = wd ? tf.mul(param, 1 - lr * wd) : param;
    param.assign(tf.sub(decayed, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), eps)), lr)));
  });
}

/** HF Trainer's default: no weight decay on biases and LayerNorm weights. */
export function decaysByDefault(name: string): boolean {
  return !name.endsWith('.bias') && !/(layer_?norm|layrnorm|LayerNorm|ln_)/i.test(name) && name !== 'logit_scale';
}
