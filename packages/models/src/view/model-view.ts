import * as tf from '@tensorflow/tfjs';
import {
  InvalidArgumentError,
  type MaskSet,
  type Modality,
  type PrunableUnit,
  type PrunableView,
  type RunOptions,
  type RunResult,
  ShapeMismatchError,
  type Structure,
  type TapSpec,
  type TapValue,
} from '@vlp/core';
import type { ModelRunner } from '../engine/model-runner.js';
import type { DescribeContext } from '../ops/describe-context.js';
import { tapOutputName } from '../ops/describe-context.js';

/** One forward of a batch, as a model describes it. `feeds` are owned by the adapter's `release`. */
export interface BatchForward {
  readonly key: string;
  readonly describe: <V>(ctx: DescribeContext<V>) => void;
  readonly feeds: Readonly<Record<string, tf.Tensor>>;
  release?(): void;
}

/** What a model provides so that {@link ModelView} can expose it to pruners. */
export interface ViewAdapter<Batch> {
  readonly architecture: string;
  readonly modalities: readonly Modality[];
  readonly units: readonly PrunableUnit[];
  readonly structures: readonly Structure[];
  readonly runner: ModelRunner;
  forward(batch: Batch): BatchForward;
  /** How many token rows and sequences feed a tap on this batch. */
  tapCounts(batch: Batch, tap: TapSpec): { tokens: number; sequences: number };
}

/**
 * The prunable view of a loaded model (DESIGN "Prunable view"): units, structures, one forward with
 * taps, gates and per-run weight overrides on either engine, `applyMasks` and `setWeights`.
 */
export class ModelView<Batch> implements PrunableView<Batch> {
  readonly architecture: string;
  readonly modalities: readonly Modality[];
  readonly units: readonly PrunableUnit[];
  readonly structures: readonly Structure[];
  private readonly unitByName: ReadonlyMap<string, PrunableUnit>;

  constructor(private readonly adapter: ViewAdapter<Batch>) {
    this.architecture = adapter.architecture;
    this.modalities = adapter.modalities;
    this.units = adapter.units;
    this.structures = adapter.structures;
    this.unitByName = new Map(adapter.units.map((u) => [u.name, u]));
  }

  private unit(name: string): PrunableUnit {
    const u = this.unitByName.get(name);
    if (!u) {
      throw new InvalidArgumentError({
        message: `"${name}" is not a prunable unit of this ${this.architecture} model (${this.units.length} units, e.g. ${this.units[0]?.name}).`,
        tensor: name,
      });
    }
    return u;
  }

  weight(unit: string): tf.Tensor2D {
    this.unit(unit);
    return this.adapter.runner.tfjsParams.get(unit, 'as-is') as tf.Tensor2D;
  }

  async run(batch: Batch, options: RunOptions = {}): Promise<RunResult> {
    const taps = options.taps ?? [];
    for (const tap of taps) if ('unit' in tap) this.unit(tap.unit);
    for (const [name, w] of Object.entries(options.weights ?? {})) {
      const u = this.unit(name);
      if (w.shape[0] !== u.shape[0] || w.shape[1] !== u.shape[1]) {
        throw new ShapeMismatchError({ message: `Weight override for "${name}" is [${w.shape.join(', ')}]; the unit is [${u.shape.join(', ')}].`, tensor: name, expected: u.shape, actual: w.shape });
      }
    }
    const gates = options.gates ?? {};
    const forward = this.adapter.forward(batch);
    let outputs: Record<string, tf.Tensor>;
    let engine: RunResult['engine'];
    try {
      ({ outputs, engine } = await this.adapter.runner.run({
        key: forward.key,
        describe: forward.describe,
        options: { taps, gates: new Set(Object.keys(gates)) },
        feeds: forward.feeds,
        weights: options.weights,
        gates,
        engine: options.engine,
      }));
    } finally {
      forward.release?.();
    }
    const tapValues: TapValue[] = taps.map((spec, i) => {
      const name = tapOutputName(i);
      const value = outputs[name] as tf.Tensor;
      delete outputs[name];
      return { spec, value, ...this.adapter.tapCounts(batch, spec) };
    });
    return {
      outputs,
      taps: tapValues,
      engine,
      dispose() {
        tf.dispose([...Object.values(outputs), ...tapValues.map((t) => t.value)]);
      },
    };
  }

  applyMasks(masks: MaskSet): void {
    for (const [name, mask] of masks) {
      const u = this.unit(name);
      const p = this.adapter.runner.params.get(name);
      if (mask.length !== u.shape[0] * u.shape[1]) {
        throw new ShapeMismatchError({ message: `Mask for "${name}" has ${mask.length} entries; the unit has ${u.shape[0] * u.shape[1]}.`, tensor: name });
      }
      const data = p.data.slice();
      for (let i = 0; i < data.length; i++) if (mask[i] === 0) data[i] = 0;
      this.adapter.runner.params.set(name, data);
    }
  }

  setWeights(weights: ReadonlyMap<string, Float32Array>): void {
    for (const [name, data] of weights) {
      this.unit(name);
      this.adapter.runner.params.set(name, data);
    }
  }
}
