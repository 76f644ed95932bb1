import * as tf from '@tensorflow/tfjs';
import { createRng, InvalidArgumentError, type MaskSet, throwIfAborted } from '@vlp/core';
import type { ParamStore } from '@vlp/models';
import { type AdamWOptions, type AdamWSlot, adamwUpdate, decaysByDefault } from './adamw.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { type DistillTerm, distillationLoss } from './distill.js';
import { learningRateAt, type LrSchedule } from './lr-schedule.js';
import { SampleOrder } from './sample-order.js';

/** Training examples, addressed by index; `collate` builds one batch. */
export interface TrainData<Batch> {
  readonly size: number;
  collate(indices: readonly number[]): Batch;
  /** Disposes what `collate` created. */
  release?(batch: Batch): void;
}

/** What the model computes on one batch with the trainable weights given (tfjs engine, synchronous). */
export interface TrainForward {
  /** The task loss (omit when only distilling). */
  readonly loss?: tf.Scalar;
  /** Outputs the distillation terms compare with the teacher's. */
  readonly outputs?: Readonly<Record<string, tf.Tensor>>;
}

/** Progress of training. */
export type TrainEvent =
  | { readonly type: 'train-start'; readonly steps: number; readonly resumedFrom?: number }
  | { readonly type: 'step-end'; readonly step: number; readonly total: number; readonly loss: number; readonly learningRate: number }
  | { readonly type: 'checkpoint-end'; readonly step: number; readonly dir: string }
  | { readonly type: 'train-end'; readonly steps: number; readonly durationMs: number };

export interface TrainerOptions<Batch> {
  /** The model's parameters; trained values are written back at the end. */
  readonly params: ParamStore;
  /** Parameter names to train (default: all). */
  readonly trainable?: readonly string[];
  /** The differentiable forward: `weights` holds the trainable parameters (HF layout) by name. */
  forward(batch: Batch, weights: Readonly<Record<string, tf.Tensor>>): TrainForward;
  readonly data: TrainData<Batch>;
  readonly batchSize: number;
  /** Optimizer steps. */
  readonly steps: number;
  /** Micro-batches per optimizer step (gradients are averaged). Default 1. */
  readonly gradientAccumulation?: number;
  /** Peak learning rate. */
  readonly learningRate: number;
  readonly optimizer?: AdamWOptions;
  /** Which parameters get weight decay (default: not biases, LayerNorms or logit_scale). */
  readonly decay?: (name: string) => boolean;
  readonly schedule?: LrSchedule;
  /** Clip the global gradient norm (off by default). */
  readonly maxGradNorm?: number;
  /** Pruning masks (1 keep, 0 prune) by parameter name: pruned entries stay exactly zero. */
  readonly masks?: MaskSet;
  /** Knowledge distillation from a teacher: its outputs per batch (any engine) and the terms. */
  readonly distill?: {
    teacher(batch: Batch): Promise<Record<string, tf.Tensor>> | Record<string, tf.Tensor>;
    readonly terms: readonly DistillTerm[];
    /** Weight of the task loss next to the distillation terms (default 1). */
    readonly taskWeight?: number;
  };
  /** Seeds the data order. Default 0. */
  readonly seed?: number;
  /**
   * Atomic checkpoints every `every` steps and at the end; `resume` continues from the latest (or,
   * with `resumeStep`, from that step's checkpoint). `keep` (default 1): how many of the newest
   * checkpoints stay on disk.
   */
  readonly checkpoint?: { readonly dir: string; readonly every: number; readonly resume?: boolean; readonly resumeStep?: number; readonly keep?: number };
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TrainEvent) => void;
  /**
   * Called after every optimizer step (after the AdamW update and the masks), before the step's
   * gradients are disposed: iterative pruners read the gradients and may `assign` to the parameter
   * variables (e.g. apply new masks). The maps are keyed by parameter name.
   */
  onStepEnd?(info: {
    readonly step: number;
    readonly params: ReadonlyMap<string, tf.Variable>;
    readonly grads: ReadonlyMap<string, tf.Tensor>;
  }): void | Promise<void>;
}

export interface TrainResult {
  /** Loss of every optimizer step (including steps before a resume). */
  readonly losses: readonly number[];
  readonly steps: number;
  readonly resumedFrom?: number;
  readonly durationMs: number;
}

function validate<B>(o: TrainerOptions<B>): void {
  const bad = (message: string) => new InvalidArgumentError({ message });
  if (!Number.isInteger(o.steps) || o.steps < 1) throw bad(`steps must be a positive integer, got ${o.steps}.`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw bad(`batchSize must be a positive integer, got ${o.batchSize}.`);
  if (o.data.size < 1) throw bad('The training data is empty.');
  if (!(o.learningRate > 0)) throw bad(`learningRate must be > 0, got ${o.learningRate}.`);
  const accumulation = o.gradientAccumulation ?? 1;
  if (!Number.isInteger(accumulation) || accumulation < 1) throw bad(`gradientAccumulation must be a positive integer, got ${accumulation}.`);
  if (o.checkpoint && (!Number.isInteger(o.checkpoint.every) || o.checkpoint.every < 1)) throw bad(`checkpoint.every must be a positive integer, got ${o.checkpoint.every}.`);
  if (o.checkpoint?.keep !== undefined && (!Number.isInteger(o.checkpoint.keep) || o.checkpoint.keep < 1)) throw bad(`checkpoint.keep must be a positive integer, got ${o.checkpoint.keep}.`);
}

/**
 * Trains parameters with AdamW (decoupled weight decay), a warm-up + cosine learning-rate schedule,
 * gradient accumulation, a seeded data order, masks held fixed (pruned weights stay exactly zero),
 * optional distillation from a teacher, atomic checkpoints and resume. Abortable between micro-batches
 * (`VLP_ABORTED`; the last complete checkpoint stays valid). Writes the trained values back into
 * `params` at the end and disposes every tensor it created.
 */
export async function train<Batch>(options: TrainerOptions<Batch>): Promise<TrainResult> {
  validate(options);
  const start = performance.now();
  const { params } = options;
  const names = [...(options.trainable ?? params.names())];
  const accumulation = options.gradientAccumulation ?? 1;
  const seed = options.seed ?? 0;
  const decay = options.decay ?? decaysByDefault;
  const emit = (e: TrainEvent) => options.onEvent?.(e);
  const vars = new Map<string, tf.Variable>();
  const slots = new Map<string, AdamWSlot>();
  const masks = new Map<string, tf.Tensor>();
  try {
    for (const name of names) {
      const p = params.get(name);
      // tidy disposes the initial-value tensors (a variable keeps its own reference to the data)
      vars.set(name, tf.tidy(() => tf.variable(tf.tensor(p.data, [...p.shape]), true)));
      slots.set(name, tf.tidy(() => ({ m: tf.variable(tf.zeros([...p.shape]), false), v: tf.variable(tf.zeros([...p.shape]), false) })));
    }
    for (const [name, mask] of options.masks ?? []) {
      const v = vars.get(name);
      if (!v) continue;
      if (mask.length !== v.size) throw new InvalidArgumentError({ message: `Mask for "${name}" has ${mask.length} entries; the parameter has ${v.size}.`, tensor: name });
      const m = tf.tensor(Float32Array.from(mask), v.shape);
      masks.set(name, m);
      applyMask(v, m);
    }
    let first = 0;
    let losses: number[] = [];
    if (options.checkpoint?.resume) {
      const saved = await loadCheckpoint(options.checkpoint.dir, options.checkpoint.resumeStep);
      if (saved) {
        if (saved.state.seed !== seed || saved.state.totalSteps !== options.steps) {
          throw new InvalidArgumentError({
            message: `The checkpoint in ${options.checkpoint.dir} was made with seed ${saved.state.seed} and ${saved.state.totalSteps} steps; this run has seed ${seed} and ${options.steps} steps. Use the same settings or a new directory.`,
          });
        }
        for (const name of names) {
          const data = saved.params.get(name);
          if (!data) throw new InvalidArgumentError({ message: `The checkpoint in ${options.checkpoint.dir} lacks parameter "${name}".`, tensor: name });
          const slot = slots.get(name) as AdamWSlot;
          tf.tidy(() => {
            (vars.get(name) as tf.Variable).assign(tf.tensor(data, (vars.get(name) as tf.Variable).shape));
            slot.m.assign(tf.tensor(saved.m.get(name) as Float32Array, slot.m.shape));
            slot.v.assign(tf.tensor(saved.v.get(name) as Float32Array, slot.v.shape));
          });
        }
        first = saved.state.step;
        losses = [...saved.state.losses];
      }
    }
    emit({ type: 'train-start', steps: options.steps, resumedFrom: first || undefined });
    const order = new SampleOrder(options.data.size, createRng(seed).split('data-order'));
    const varList = names.map((n) => vars.get(n) as tf.Variable);
    // tf.variableGrads keys gradients by the variables' own (generated) names
    const paramOf = new Map(varList.map((v, i) => [v.name, names[i] as string]));
    const weights = Object.fromEntries(vars) as Record<string, tf.Tensor>;
    for (let step = first; step < options.steps; step++) {
      const lr = learningRateAt(step, options.steps, options.learningRate, options.schedule);
      const sums = new Map<string, tf.Tensor>();
      let loss = 0;
      for (let micro = 0; micro < accumulation; micro++) {
        throwIfAborted(options.signal, `training step ${step + 1}`);
        const cursor = (step * accumulation + micro) * options.batchSize;
        const batch = options.data.collate(order.indices(cursor, options.batchSize));
        const teacher = options.distill ? await options.distill.teacher(batch) : undefined;
        try {
          const { value, grads } = tf.variableGrads(() => {
            const out = options.forward(batch, weights);
            let total: tf.Scalar = out.loss ? tf.mul(out.loss, options.distill?.taskWeight ?? 1) : tf.scalar(0);
            if (options.distill && teacher) total = tf.add(total, distillationLoss(out.outputs ?? {}, teacher, options.distill.terms));
            return total;
          }, varList);
          loss += (value.dataSync()[0] as number) / accumulation;
          value.dispose();
          for (const [varName, g] of Object.entries(grads)) {
            const name = paramOf.get(varName) as string;
            const scaled = tf.div(g, accumulation);
            const previous = sums.get(name);
            sums.set(name, previous ? tf.add(previous, scaled) : scaled);
            previous?.dispose();
            if (scaled !== sums.get(name)) scaled.dispose();
            g.dispose();
          }
        } finally {
          options.data.release?.(batch);
          if (teacher) tf.dispose(Object.values(teacher));
        }
      }
      if (options.maxGradNorm) clipGlobalNorm(sums, options.maxGradNorm);
      for (const name of names) {
        const g = sums.get(name);
        if (!g) continue;
        const v = vars.get(name) as tf.Variable;
        adamwUpdate(v, g, slots.get(name) as AdamWSlot, lr, step + 1, decay(name), options.optimizer);
        const m = masks.get(name);
        if (m) applyMask(v, m);
      }
      try {
        await options.onStepEnd?.({ step: step + 1, params: vars, grads: sums });
      } finally {
        tf.dispose([...sums.values()]);
      }
      losses.push(loss);
      emit({ type: 'step-end', step: step + 1, total: options.steps, loss, learningRate: lr });
      const cp = options.checkpoint;
      if (cp && ((step + 1) % cp.every === 0 || step + 1 === options.steps)) {
        await saveCheckpoint(cp.dir, { format: 'vlp-trainer-checkpoint', version: 1, step: step + 1, seed, totalSteps: options.steps, losses }, vars, slots, cp.keep);
        emit({ type: 'checkpoint-end', step: step + 1, dir: cp.dir });
      }
    }
    for (const name of names) params.set(name, Float32Array.from((vars.get(name) as tf.Variable).dataSync()));
    const durationMs = performance.now() - start;
    emit({ type: 'train-end', steps: options.steps, durationMs });
    return { losses, steps: options.steps, resumedFrom: first || undefined, durationMs };
  } finally {
    tf.dispose([...vars.values(), ...[...slots.values()].flatMap((s) => [s.m, s.v]), ...masks.values()]);
  }
}

/** `v ← v·mask + 0` (the `+ 0` turns the −0 of negative pruned weights into +0). */
function applyMask(v: tf.Variable, mask: tf.Tensor): void {
  tf.tidy(() => v.assign(tf.add(tf.mul(v, mask), tf.scalar(0))));
}

function clipGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm: number): void {
  const norm = tf.tidy(() => Math.sqrt([...grads.values()].reduce((acc, g) => acc + (tf.sum(tf.square(g)).dataSync()[0] as number), 0)));
  if (norm <= maxNorm) return;
  const factor = maxNorm / (norm + 1e-6);
  for (const [name, g] of grads) {
    grads.set(name, tf.mul(g, factor));
    g.dispose();
  }
}
