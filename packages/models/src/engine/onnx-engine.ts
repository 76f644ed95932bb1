import * as ort from 'onnxruntime-node';
import { InvalidArgumentError } from '@vlp/core';
import { DescribeContext, type DescribeOptions } from '../ops/describe-context.js';
import { type BoundParam, OnnxOps } from '../ops/onnx-ops.js';
import { OnnxGraphBuilder } from '../onnx/graph-builder.js';
import { createOrtSession, releaseSession, type OrtProvider } from '../onnx/session.js';
import type { ParamStore } from '../weights/param-store.js';
import { transposeToLinear } from './host-layout.js';
import type { Description } from './tfjs-engine.js';

/** A host tensor: float32 data or int64 ids. */
export interface HostTensor {
  readonly data: Float32Array | BigInt64Array;
  readonly dims: readonly number[];
}

export interface OnnxRunInputs {
  readonly feeds: Readonly<Record<string, HostTensor>>;
  /** Per-run weight overrides in HF layout, by parameter name. */
  readonly weights?: ReadonlyMap<string, Float32Array>;
  /** Gate values by gate group. */
  readonly gates?: Readonly<Record<string, Float32Array>>;
}

export interface OnnxEngineOptions {
  /** ORT intra-op threads (default: ORT's choice; 1 on a shared machine). */
  readonly intraOpNumThreads?: number;
  /** `cuda` is tried only when asked; CPU is the fallback. */
  readonly executionProviders?: readonly OrtProvider[];
}

interface CachedGraph {
  readonly session: ort.InferenceSession;
  readonly params: ReadonlyMap<string, BoundParam>;
  readonly outputs: readonly string[];
}

/**
 * Runs descriptions on onnxruntime-node: records the graph once per signature (weights as graph
 * inputs), caches the session, and feeds the store's current weights (linear weights transposed
 * once per store version), per-run overrides and gates.
 */
export class OnnxEngine {
  private readonly graphs = new Map<string, Promise<CachedGraph>>();
  private readonly layouts = new Map<string, Float32Array>();
  private layoutVersion: number;
  /** Set when a requested provider could not load (CPU is used instead). */
  warning?: string;
  provider: OrtProvider = 'cpu';

  constructor(
    private readonly store: ParamStore,
    private readonly options: OnnxEngineOptions = {},
  ) {
    this.layoutVersion = store.version;
  }

  /** Number of cached sessions. */
  get sessionCount(): number {
    return this.graphs.size;
  }

  async run(key: string, describe: Description<string>, options: DescribeOptions, inputs: OnnxRunInputs): Promise<Record<string, HostTensor>> {
    const signature = `${key}|${signatureOf(options)}`;
    let graph = this.graphs.get(signature);
    if (!graph) {
      graph = this.build(key, describe, options);
      this.graphs.set(signature, graph);
      graph.catch(() => this.graphs.delete(signature));
    }
    const { session, params, outputs } = await graph;
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, value] of Object.entries(inputs.feeds)) {
      feeds[name] = new ort.Tensor(value.data instanceof BigInt64Array ? 'int64' : 'float32', value.data, value.dims as number[]);
    }
    for (const [valueName, bound] of params) feeds[valueName] = this.paramTensor(bound, inputs.weights?.get(bound.name));
    for (const inputName of session.inputNames) {
      if (!inputName.startsWith('gate:')) continue;
      const values = inputs.gates?.[inputName.slice('gate:'.length)];
      if (!values) throw new InvalidArgumentError({ message: `Missing gate values for "${inputName.slice(5)}".` });
      feeds[inputName] = new ort.Tensor('float32', values, [values.length]);
    }
    const result = await session.run(feeds);
    const out: Record<string, HostTensor> = {};
    for (const name of outputs) {
      const t = result[name] as ort.Tensor;
      out[name] = { data: t.data as Float32Array | BigInt64Array, dims: [...t.dims] };
    }
    return out;
  }

  private paramTensor(bound: BoundParam, override: Float32Array | undefined): ort.Tensor {
    const p = this.store.get(bound.name);
    const dims = bound.layout === 'linear' ? [p.data.length / (p.shape[0] as number), p.shape[0] as number] : [...p.shape];
    if (override) {
      if (override.length !== p.data.length) {
        throw new InvalidArgumentError({ message: `Override for "${bound.name}" has ${override.length} values; expected ${p.data.length}.`, tensor: bound.name });
      }
      return new ort.Tensor('float32', bound.layout === 'linear' ? transposeToLinear(override, p.shape) : override, dims);
    }
    if (bound.layout === 'as-is') return new ort.Tensor('float32', p.data, dims);
    if (this.layoutVersion !== this.store.version) {
      this.layouts.clear();
      this.layoutVersion = this.store.version;
    }
    let data = this.layouts.get(bound.name);
    if (!data) {
      data = transposeToLinear(p.data, p.shape);
      this.layouts.set(bound.name, data);
    }
    return new ort.Tensor('float32', data, dims);
  }

  private async build(key: string, describe: Description<string>, options: DescribeOptions): Promise<CachedGraph> {
    const builder = new OnnxGraphBuilder({ name: key.replace(/[^A-Za-z0-9_]/g, '_') });
    const ops = new OnnxOps(builder, (name) => this.store.get(name).shape);
    describe(new DescribeContext(ops, options));
    const { model } = builder.toModel();
    const handle = await createOrtSession(model, {
      intraOpNumThreads: this.options.intraOpNumThreads,
      executionProviders: this.options.executionProviders,
    });
    this.provider = handle.provider;
    if (handle.warning) this.warning = handle.warning;
    return { session: handle.session, params: ops.params, outputs: builder.outputNames };
  }

  /** Releases every cached session. */
  async dispose(): Promise<void> {
    const graphs = [...this.graphs.values()];
    this.graphs.clear();
    this.layouts.clear();
    for (const g of graphs) await g.then((c) => releaseSession(c.session)).catch(() => undefined);
  }
}

function signatureOf(options: DescribeOptions): string {
  return JSON.stringify({ t: options.taps ?? [], g: [...(options.gates ?? [])].sort(), h: options.hiddenStates ?? false });
}
