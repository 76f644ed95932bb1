import * as tf from '@tensorflow/tfjs';
import { type Emit, NotSupportedError, type PrunableView, type TaskAdapter, throwIfAborted, upopSchedule } from '@vlp/core';
import { type AdamWSlot, adamwUpdate, learningRateAt } from '@vlp/tasks';
import { cycleBatches } from './batches.js';
import type { MaskGroup } from './mask-groups.js';
import { type ProgressiveUpdate, isUpdateStep, progressiveUpdate } from './ranking.js';
import type { UpopConfig } from './upop-config.js';

/** What the search needs besides the config. */
export interface SearchOptions<Batch> {
  readonly view: PrunableView<Batch>;
  readonly task: TaskAdapter<Batch> & Required<Pick<TaskAdapter<Batch>, 'loss' | 'train'>>;
  readonly groups: readonly MaskGroup[];
  /** Units whose weights train (empty: none). */
  readonly trainable: readonly string[];
  /** Target p. */
  readonly p: number;
  readonly config: UpopConfig;
  readonly signal: AbortSignal;
  readonly emit: Emit;
}

/** The outcome of the search (and the optional retraining). */
export interface SearchResult {
  /** The last progressive update (π = p: the pruned set is at 0). */
  readonly last: ProgressiveUpdate;
  /** Trained unit weights, `[out, in]` row-major. */
  readonly weights: Map<string, Float32Array>;
  readonly losses: number[];
}

const isPromise = (v: unknown): v is Promise<unknown> => typeof (v as { then?: unknown } | null)?.then === 'function';

/** The task loss of one batch, synchronously (tf.variableGrads cannot follow a Promise). */
function syncLoss<B>(o: SearchOptions<B>, batch: B, weights: Record<string, tf.Tensor2D>, gates: Record<string, tf.Tensor1D>): tf.Scalar {
  const value = o.task.loss(o.view, batch, { weights, gates, engine: 'tfjs', signal: o.signal });
  if (isPromise(value)) {
    void value.then((t) => t.dispose(), () => undefined);
    throw new NotSupportedError({ message: `Task "${o.task.id}" computes its loss asynchronously; UPop needs a synchronous differentiable loss on the tfjs engine.` });
  }
  return value;
}

/**
 * UPop's search (official `train` with `search=True`), then optional retraining:
 * each step draws the next `task.train` batch, computes `L = L_task + w_attn Σ|ζ_attn| + w_mlp Σ|ζ_mlp|`
 * (search) or `L_task` (retraining, masks fixed), accumulates ∂L/∂ζ in float32 (or keeps the step's
 * gradient with `gradient: 'per-step'`), updates the trainable weights with AdamW (cosine learning
 * rate), and at the update steps re-ranks all masks and sets them to 1 / `1 − π_t/p`. Emits
 * `step-end`; checks the signal before every step; disposes every tensor it creates.
 */
export async function runSearch<B>(o: SearchOptions<B>): Promise<SearchResult> {
  const { config, groups } = o;
  const gates = groups.map((g) => tf.tidy(() => tf.variable(tf.ones([g.structures.length]), true)) as tf.Variable<tf.Rank.R1>);
  const weights: tf.Variable<tf.Rank.R2>[] = [];
  const slots: AdamWSlot[] = [];
  const metric = groups.map((g) => new Float32Array(g.structures.length));
  const gateRecord = Object.fromEntries(groups.map((g, i) => [g.group, gates[i] as tf.Tensor1D]));
  const weightRecord: Record<string, tf.Tensor2D> = {};
  const batches = cycleBatches(o.task.train);
  const losses: number[] = [];
  const total = config.searchSteps + config.retrainSteps;
  let last: ProgressiveUpdate | undefined;
  try {
    for (const name of o.trainable) {
      throwIfAborted(o.signal, `UPop reading ${name}`);
      const w = tf.tidy(() => tf.variable(o.view.weight(name).clone(), true)) as tf.Variable<tf.Rank.R2>;
      weights.push(w);
      slots.push(tf.tidy(() => ({ m: tf.variable(tf.zerosLike(w), false), v: tf.variable(tf.zerosLike(w), false) })));
      weightRecord[name] = w;
    }
    for (let step = 0; step < total; step++) {
      throwIfAborted(o.signal, `UPop step ${step + 1}`);
      const searching = step < config.searchSteps;
      const batch = (await batches.next()).value as B;
      const vars = [...(searching ? gates : []), ...(config.trainWeights ? weights : [])];
      const { value, grads } = tf.variableGrads(() => {
        const task = syncLoss(o, batch, weightRecord, gateRecord);
        if (!searching) return task;
        const sparsity = groups.reduce<tf.Scalar>((acc, g, i) => tf.add(acc, tf.mul(tf.sum(tf.abs(gates[i] as tf.Tensor)), g.kind === 'attn' ? config.attnWeight : config.mlpWeight)), tf.scalar(0));
        return tf.add(task, sparsity) as tf.Scalar;
      }, vars);
      try {
        losses.push((await value.data())[0] as number);
        if (searching) {
          for (const [i, gate] of gates.entries()) {
            const g = grads[gate.name];
            const values = g ? await g.data() : new Float32Array(metric[i]!.length);
            const m = metric[i] as Float32Array;
            for (let j = 0; j < m.length; j++) m[j] = config.gradient === 'accumulated' ? Math.fround(m[j]! + values[j]!) : values[j]!;
          }
        }
        if (config.trainWeights) {
          const phaseStep = searching ? step : step - config.searchSteps;
          const phaseTotal = searching ? config.searchSteps : config.retrainSteps;
          const lr = learningRateAt(phaseStep, phaseTotal, config.learningRate, { decay: 'cosine' });
          weights.forEach((w, i) => {
            const g = grads[w.name];
            if (g) adamwUpdate(w, g, slots[i] as AdamWSlot, lr, phaseStep + 1, true, { weightDecay: config.weightDecay });
          });
        }
      } finally {
        value.dispose();
        tf.dispose(Object.values(grads));
      }
      if (searching && isUpdateStep(step, config.interval, config.searchSteps)) {
        const pi = upopSchedule(step, { p: o.p, totalSteps: config.searchSteps });
        const weightsOf = (i: number) => (config.compressionWeight.kind === 'params' ? (groups[i] as MaskGroup).params : groups[i]!.kind === 'attn' ? config.compressionWeight.attn : config.compressionWeight.mlp);
        last = progressiveUpdate(groups.map((g, i) => ({ kind: g.kind, grad: metric[i] as Float32Array, weights: weightsOf(i) })), pi, o.p);
        const alphas = last.alphas;
        gates.forEach((gate, i) => tf.tidy(() => gate.assign(tf.tensor1d(alphas[i] as Float32Array))));
      }
      o.emit({ type: 'step-end', step: step + 1, total, loss: losses[losses.length - 1] });
    }
    const trained = new Map<string, Float32Array>();
    if (config.trainWeights) for (const [i, name] of o.trainable.entries()) trained.set(name, Float32Array.from(await weights[i]!.data()));
    return { last: last as ProgressiveUpdate, weights: trained, losses };
  } finally {
    await batches.return(undefined as never);
    tf.dispose([...gates, ...weights, ...slots.flatMap((s) => [s.m, s.v])]);
  }
}
