import * as tf from '@tensorflow/tfjs';
import { CalibrationRequiredError, type Engine, type PrunableView, type TaskAdapter } from '@vlp/core';
import type { GateValues } from './gates.js';
import type { GatedMetric } from './score.js';

/** Options of {@link taskMetric}. */
export interface TaskMetricOptions {
  /** Key of `evaluate()`'s result; default the task's `primaryMetric`. */
  readonly metric?: string;
  readonly engine: Engine;
  readonly signal?: AbortSignal;
}

/** The gates as `[groupSize]` tensors by group (the caller disposes them). */
export function gateTensors(gates: GateValues): Record<string, tf.Tensor1D> {
  const tensors: Record<string, tf.Tensor1D> = {};
  for (const [group, values] of gates) tensors[group] = tf.tensor1d(values);
  return tensors;
}

/**
 * Z from a task adapter: `task.evaluate(view, { gates, engine })[metric]`, with the gates turned into
 * `[groupSize]` tensors for the call and disposed after it. The task must honour `gates`
 * ({@link gatedRetrievalTask} does). Throws `VLP_CALIBRATION_REQUIRED` without an evaluator or metric.
 */
export function taskMetric(view: PrunableView<unknown>, task: TaskAdapter<unknown> | undefined, options: TaskMetricOptions): GatedMetric {
  const evaluate = task?.evaluate;
  const name = options.metric ?? task?.primaryMetric;
  if (!task || !evaluate || !name) {
    throw new CalibrationRequiredError({
      message: 'MoPE needs a task with `evaluate` and a metric to maximise (`primaryMetric` or the `metric` option): pass `task: gatedRetrievalTask({ batches })` to prune().',
    });
  }
  return async (gates: GateValues) => {
    const tensors = gateTensors(gates);
    try {
      const metrics = await evaluate.call(task, view, { gates: tensors, engine: options.engine, signal: options.signal });
      const value = metrics[name];
      if (typeof value !== 'number' || Number.isNaN(value)) {
        throw new CalibrationRequiredError({
          message: `Task "${task.id}" returned no numeric metric "${name}" (it returned ${Object.keys(metrics).join(', ') || 'nothing'}); set the MoPE \`metric\` option to one of them.`,
        });
      }
      return value;
    } finally {
      tf.dispose(Object.values(tensors));
    }
  };
}
