import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { DescribeContext, type DescribeOptions, gateInputName } from '../ops/describe-context.js';
import { TfjsOps } from '../ops/tfjs-ops.js';
import { type TfjsParamCache, toLinearLayout } from './tfjs-param-cache.js';

/** Inputs of one tfjs run. Tensors stay owned by the caller. */
export interface TfjsRunInputs {
  /** Graph inputs by name (`pixel_values`, `input_ids` as int32, ...). */
  readonly feeds: Readonly<Record<string, tf.Tensor>>;
  /** Per-run weight overrides in HF layout, by parameter name. */
  readonly weights?: Readonly<Record<string, tf.Tensor>>;
  /** Gate values by gate group. */
  readonly gates?: Readonly<Record<string, tf.Tensor>>;
}

export type Description<V> = (ctx: DescribeContext<V>) => void;

/**
 * Runs a description eagerly on tfjs and returns its outputs (owned by the caller). Differentiable:
 * call it inside `tf.grad` / `tf.variableGrads` to get gradients w.r.t. weights or gates.
 */
export function runTfjs(
  describe: Description<tf.Tensor>,
  options: DescribeOptions,
  params: TfjsParamCache,
  inputs: TfjsRunInputs,
): Record<string, tf.Tensor> {
  return tf.tidy(() => {
    const ops = new TfjsOps({
      input(name) {
        const gate = name.startsWith('gate:') ? inputs.gates?.[name.slice('gate:'.length)] : undefined;
        const value = gate ?? inputs.feeds[name];
        if (!value) {
          throw new InvalidArgumentError({
            message: `Missing input "${name}". Given: ${Object.keys(inputs.feeds).join(', ') || '(none)'}${
              name.startsWith('gate:') ? `; pass gates["${name.slice(5)}"]` : ''
            }.`,
          });
        }
        return value;
      },
      param(name, layout) {
        const override = inputs.weights?.[name];
        if (override) return layout === 'linear' ? toLinearLayout(override) : override;
        return params.get(name, layout);
      },
    });
    describe(new DescribeContext(ops, options));
    return Object.fromEntries(ops.outputs);
  });
}

export { gateInputName };
