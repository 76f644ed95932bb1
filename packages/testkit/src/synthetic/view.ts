import * as tf from '@tensorflow/tfjs';
import {
  InvalidArgumentError,
  NotSupportedError,
  ShapeMismatchError,
  throwIfAborted,
  type MaskSet,
  type PrunableUnit,
  type PrunableView,
  type RunOptions,
  type RunResult,
  type TapValue,
} from '@vlp/core';
import { type SyntheticBatch, checkBatch } from './batch.js';
import { type SyntheticDims, resolveDims } from './dims.js';
import { syntheticForward } from './forward.js';
import { gateGroupSizes, syntheticStructures, syntheticUnits } from './layout.js';
import { initParams } from './params.js';
import { TapRecorder } from './taps.js';

/** Options of {@link createSyntheticView}. */
export interface SyntheticViewOptions extends Partial<SyntheticDims> {
  /** Seed of the initial weights. Default 0. */
  readonly seed?: number;
  /** Reported architecture id. Default `synthetic`. */
  readonly architecture?: string;
}

/** The synthetic view: a {@link PrunableView} plus a synchronous forward and `dispose()`. */
export interface SyntheticView extends PrunableView<SyntheticBatch> {
  readonly dims: SyntheticDims;
  /** The same forward as `run`, synchronous, so it can sit inside `tf.grads` / `tf.valueAndGrads`. */
  runSync(batch: SyntheticBatch, options?: RunOptions): RunResult;
  /** Replaces unit weights (`[out, in]` row-major), disposing the old tensors. */
  setWeights(weights: ReadonlyMap<string, Float32Array>): void;
  /** Disposes every tensor of the view. */
  dispose(): void;
}

function unknownUnit(name: string, units: ReadonlyMap<string, PrunableUnit>): InvalidArgumentError {
  return new InvalidArgumentError({
    message: `Unknown unit "${name}" of the synthetic view; units look like "${units.keys().next().value}".`,
    tensor: name,
  });
}

function checkShape(what: string, actual: readonly number[], expected: readonly number[]): void {
  if (actual.length !== expected.length || actual.some((v, i) => v !== expected[i])) {
    throw new ShapeMismatchError({
      message: `${what} has shape [${actual.join(', ')}]; expected [${expected.join(', ')}].`,
      expected,
      actual,
    });
  }
}

/**
 * A small, deterministic two-tower (vision, text) transformer on TensorFlow.js that implements
 * the {@link PrunableView} for real: seeded weights, a genuine forward with taps, gates and
 * per-run weight overrides, masks that zero weights. Default sizes: hidden 8, 2 heads, MLP 16,
 * 2 blocks per tower (24 units, 2,048 prunable weights).
 *
 * @example
 * const view = createSyntheticView({ seed: 1 });
 * const report = await prune(magnitudePruner(), view, { sparsity: 0.5, seed: 0 });
 * view.dispose();
 */
export function createSyntheticView(options: SyntheticViewOptions = {}): SyntheticView {
  const { seed = 0, architecture = 'synthetic', ...partialDims } = options;
  const dims = resolveDims(partialDims);
  const units = Object.freeze(syntheticUnits(dims));
  const byName = new Map(units.map((u) => [u.name, u]));
  const structures = Object.freeze(syntheticStructures(dims));
  const groups = gateGroupSizes(dims);
  const blocks = new Set(units.map((u) => u.blockId));
  const { weights, biases } = initParams(units, seed);
  let disposed = false;

  const live = (name: string): tf.Tensor2D => {
    if (disposed) throw new InvalidArgumentError({ message: 'The synthetic view was disposed.' });
    const w = weights.get(name);
    if (!w) throw unknownUnit(name, byName);
    return w;
  };

  const replace = (name: string, next: tf.Tensor2D): void => {
    const old = live(name);
    weights.set(name, tf.keep(next));
    old.dispose();
  };

  function runSync(batch: SyntheticBatch, runOptions: RunOptions = {}): RunResult {
    if (runOptions.engine === 'onnx') {
      throw new NotSupportedError({ message: 'The synthetic view runs on the tfjs engine only; omit `engine` or pass "tfjs".' });
    }
    throwIfAborted(runOptions.signal, 'synthetic forward');
    checkBatch(batch, dims);
    for (const [name, w] of Object.entries(runOptions.weights ?? {})) checkShape(`Weight override of "${name}"`, w.shape, live(name).shape);
    for (const [group, gate] of Object.entries(runOptions.gates ?? {})) {
      const size = groups.get(group);
      if (size === undefined) throw new InvalidArgumentError({ message: `Unknown gate group "${group}"; groups are ${[...groups.keys()].join(', ')}.` });
      checkShape(`Gate "${group}"`, gate.shape, [size]);
    }
    const recorder = new TapRecorder(runOptions.taps ?? [], new Set(byName.keys()), blocks);
    const params = {
      weight: (name: string) => runOptions.weights?.[name] ?? live(name),
      bias: (name: string) => biases.get(name)!,
      gate: (group: string) => runOptions.gates?.[group],
    };
    const { outputs, taps } = tf.tidy(() => {
      const out = syntheticForward(params, recorder, batch, dims);
      return { outputs: out, taps: recorder.values.map((t) => t!.value) };
    });
    const tapValues: TapValue[] = recorder.values.map((t, i) => ({ spec: recorder.specs[i], value: taps[i], tokens: t!.tokens, sequences: t!.sequences }));
    return {
      outputs,
      taps: tapValues,
      engine: 'tfjs',
      dispose: () => {
        for (const t of Object.values(outputs)) t.dispose();
        for (const t of taps) t.dispose();
      },
    };
  }

  return {
    architecture,
    modalities: Object.freeze(['vision', 'text'] as const),
    units,
    structures,
    dims,
    weight: live,
    runSync,
    run: async (batch, runOptions) => runSync(batch, runOptions),
    applyMasks(masks: MaskSet): void {
      for (const [name, mask] of masks) {
        const w = live(name);
        checkShape(`Mask of "${name}"`, [mask.length], [w.size]);
        replace(name, tf.tidy(() => tf.where(tf.tensor2d(mask, w.shape, 'bool'), w, tf.zerosLike(w)) as tf.Tensor2D));
      }
    },
    setWeights(values: ReadonlyMap<string, Float32Array>): void {
      for (const [name, data] of values) {
        const w = live(name);
        checkShape(`Weights of "${name}"`, [data.length], [w.size]);
        replace(name, tf.tensor2d(data, w.shape));
      }
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      for (const t of [...weights.values(), ...biases.values()]) t.dispose();
    },
  };
}
