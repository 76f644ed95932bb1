import * as tf from '@tensorflow/tfjs';
import type { Engine } from '@vlp/core';
import type { DescribeOptions } from '../ops/describe-context.js';
import type { ParamStore } from '../weights/param-store.js';
import { resolveEngine } from './executor.js';
import { type HostTensor, OnnxEngine, type OnnxEngineOptions } from './onnx-engine.js';
import { type Description, runTfjs } from './tfjs-engine.js';
import { TfjsParamCache } from './tfjs-param-cache.js';

/** One run of a model description on either engine. Input tensors stay owned by the caller. */
export interface RunSpec {
  /** Graph identity (also the ONNX session cache key, with the describe options). */
  readonly key: string;
  readonly describe: <V>(ctx: import('../ops/describe-context.js').DescribeContext<V>) => void;
  readonly options?: DescribeOptions;
  /** Inputs; int tensors are ids/masks. */
  readonly feeds: Readonly<Record<string, tf.Tensor>>;
  /** Per-run weight overrides in HF layout. */
  readonly weights?: Readonly<Record<string, tf.Tensor>>;
  readonly gates?: Readonly<Record<string, tf.Tensor>>;
  readonly engine?: Engine;
}

/**
 * Executes a model's descriptions on tfjs or ONNX Runtime and returns tfjs tensors owned by the
 * caller, whatever the engine. Holds the engine caches of one model.
 */
export class ModelRunner {
  /** tfjs copies of the parameters (view-owned tensors for `PrunableView.weight`). */
  readonly tfjsParams: TfjsParamCache;
  private onnx?: OnnxEngine;

  constructor(
    readonly params: ParamStore,
    /** ONNX Runtime options of this model's sessions. */
    readonly onnxOptions: OnnxEngineOptions = {},
  ) {
    this.tfjsParams = new TfjsParamCache(params);
  }

  /** The ONNX engine (created on first use). */
  get onnxEngine(): OnnxEngine {
    this.onnx ??= new OnnxEngine(this.params, this.onnxOptions);
    return this.onnx;
  }

  /**
   * Synchronous tfjs run, for use inside `tf.grad` / `tf.variableGrads` (gradients w.r.t. weight
   * overrides or gates). The caller owns the outputs.
   */
  runTfjs(spec: Omit<RunSpec, 'engine'>): Record<string, tf.Tensor> {
    return runTfjs(spec.describe as Description<tf.Tensor>, spec.options ?? {}, this.tfjsParams, {
      feeds: spec.feeds,
      weights: spec.weights,
      gates: spec.gates,
    });
  }

  async run(spec: RunSpec): Promise<{ outputs: Record<string, tf.Tensor>; engine: Engine }> {
    const engine = resolveEngine(spec.engine);
    const options = spec.options ?? {};
    if (engine === 'tfjs') {
      const outputs = runTfjs(spec.describe as Description<tf.Tensor>, options, this.tfjsParams, {
        feeds: spec.feeds,
        weights: spec.weights,
        gates: spec.gates,
      });
      return { outputs, engine };
    }
    const feeds: Record<string, HostTensor> = {};
    for (const [name, t] of Object.entries(spec.feeds)) {
      const data = await t.data();
      feeds[name] = t.dtype === 'float32' ? { data: data as Float32Array, dims: t.shape } : { data: BigInt64Array.from(data as Int32Array, (v) => BigInt(v)), dims: t.shape };
    }
    const weights = new Map<string, Float32Array>();
    for (const [name, t] of Object.entries(spec.weights ?? {})) weights.set(name, (await t.data()) as Float32Array);
    const gates: Record<string, Float32Array> = {};
    for (const [name, t] of Object.entries(spec.gates ?? {})) gates[name] = (await t.data()) as Float32Array;
    const result = await this.onnxEngine.run(spec.key, spec.describe as Description<string>, options, { feeds, weights, gates });
    const outputs: Record<string, tf.Tensor> = {};
    for (const [name, value] of Object.entries(result)) {
      outputs[name] =
        value.data instanceof BigInt64Array
          ? tf.tensor(Int32Array.from(value.data, (v) => Number(v)), value.dims as number[], 'int32')
          : tf.tensor(value.data, value.dims as number[], 'float32');
    }
    return { outputs, engine };
  }

  /** Drops cached tfjs parameter copies (after weights changed in place) — automatic on store writes. */
  async dispose(): Promise<void> {
    this.tfjsParams.dispose();
    await this.onnx?.dispose();
    this.onnx = undefined;
  }
}
