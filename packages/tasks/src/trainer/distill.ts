import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';

/** One distillation term between a student output and the teacher's output of the same name. */
export interface DistillTerm {
  /** Output name (e.g. `logits_per_text`, `vision_model.hidden_states.4`). */
  readonly output: string;
  /** `kl`: KL(teacher ‖ student) of softmax(·/T) over the last axis, ×T²; `mse`: mean squared error. */
  readonly kind: 'kl' | 'mse';
  readonly weight: number;
  /** Softmax temperature of `kl` (default 1). */
  readonly temperature?: number;
}

/** The weighted sum of the distillation terms (differentiable in `student`). */
export function distillationLoss(student: Readonly<Record<string, tf.Tensor>>, teacher: Readonly<Record<string, tf.Tensor>>, terms: readonly DistillTerm[]): tf.Scalar {
  return tf.tidy(() => {
    let total: tf.Tensor = tf.scalar(0);
    for (const term of terms) {
      const s = student[term.output];
      const t = teacher[term.output];
      if (!s || !t) throw new InvalidArgumentError({ message: `Distillation output "${term.output}" is missing from the ${s ? 'teacher' : 'student'} outputs; list only outputs both models produce.` });
      let value: tf.Tensor;
      // square(sub) rather than squaredDifference: the latter's gradient does not reduce broadcast axes on wasm
      if (term.kind === 'mse') value = tf.mean(tf.square(tf.sub(s, t)));
      else {
        const temp = term.temperature ?? 1;
        const logP = tf.logSoftmax(tf.div(t, temp));
        const logQ = tf.logSoftmax(tf.div(s, temp));
        const kl = tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ)), -1);
        value = tf.mul(tf.mean(kl), temp * temp);
      }
      total = tf.add(total, tf.mul(value, term.weight));
    }
    return total as tf.Scalar;
  });
}
