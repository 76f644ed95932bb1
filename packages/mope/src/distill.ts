/**
 * Recovery of a MoPE-pruned model by knowledge distillation from the dense teacher (paper §3.3):
 * cross-modal similarity-logit KD (KL between the teacher's and the student's softmaxed
 * image↔text similarity logits, both directions) plus hidden-state KD (MSE between each kept
 * student layer's output and the output of the same layer of the teacher), trained with
 * `@vlp/tasks`' `train()` and its `distill` option. Not part of `prune()`: one-shot cells run zero
 * steps. Method packages do not import `@vlp/models`, so the caller supplies the two forwards
 * (`scripts/mope-report.ts` shows the CLIP glue).
 */
import type * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { type DistillTerm, type TrainData, type TrainEvent, type TrainResult, type TrainerOptions, train } from '@vlp/tasks';

/** One hidden-state pair: the student output and the teacher output it should match. */
export interface HiddenStatePair {
  readonly student: string;
  readonly teacher: string;
}

/**
 * Hidden-state pairs of a depth-pruned Hugging Face-style encoder stack: for every tower, student
 * layer `p` (kept original layer `layers[p]`) is matched to the teacher's layer `layers[p]`, i.e.
 * `${tower}_model.hidden_states.${p + 1}` ↔ `${tower}_model.hidden_states.${layers[p] + 1}` (index 0 is
 * the embeddings, which pruning does not change and which are not distilled).
 *
 * @example hiddenStatePairs({ vision: compact.arch.vision.layerIndices, text: compact.arch.text.layerIndices })
 */
export function hiddenStatePairs(towers: Readonly<Record<string, readonly number[]>>): HiddenStatePair[] {
  return Object.entries(towers).flatMap(([tower, layers]) =>
    layers.map((original, p) => ({ student: `${tower}_model.hidden_states.${p + 1}`, teacher: `${tower}_model.hidden_states.${original + 1}` })),
  );
}

/** Options of {@link mopeDistill}. */
export interface MopeDistillOptions<Batch> {
  /** The student's parameters (trained in place: the trained values are written back). */
  readonly params: TrainerOptions<Batch>['params'];
  /**
   * The student forward on the tfjs engine, synchronous and differentiable in `weights` (the
   * trainer's variables by parameter name): every output the terms name — the similarity logits
   * and the hidden states of {@link hiddenStatePairs}.
   */
  student(batch: Batch, weights: Readonly<Record<string, tf.Tensor>>): Readonly<Record<string, tf.Tensor>>;
  /** The dense teacher's outputs on the batch (any engine, e.g. ONNX Runtime); disposed after use. */
  teacher(batch: Batch): Promise<Record<string, tf.Tensor>> | Record<string, tf.Tensor>;
  readonly data: TrainData<Batch>;
  /** Optimizer steps (≥ 1; zero steps means: do not call this). */
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Linear warm-up steps of the warm-up + cosine schedule. Default 0. */
  readonly warmupSteps?: number;
  /** AdamW weight decay. Default the trainer's. */
  readonly weightDecay?: number;
  /** Similarity-logit outputs distilled with KL (default `logits_per_image` and `logits_per_text`). */
  readonly logits?: readonly string[];
  /** Total weight of the logit terms (split evenly). Default 1. */
  readonly logitWeight?: number;
  /** Softmax temperature of the logit KL. Default 1. */
  readonly temperature?: number;
  /** Hidden-state pairs (MSE); default none. */
  readonly hidden?: readonly HiddenStatePair[];
  /** Total weight of the hidden-state terms (split evenly). Default 1. */
  readonly hiddenWeight?: number;
  /** Optional task loss of the student outputs (e.g. InfoNCE on its logits) and its weight (default 0: distillation only). */
  readonly taskLoss?: (outputs: Readonly<Record<string, tf.Tensor>>) => tf.Scalar;
  readonly taskWeight?: number;
  readonly seed?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TrainEvent) => void;
}

/** The distillation terms of `options`: KL per logit output, MSE per hidden pair (named by the student output). */
export function distillTerms(options: Pick<MopeDistillOptions<unknown>, 'logits' | 'logitWeight' | 'temperature' | 'hidden' | 'hiddenWeight'>): DistillTerm[] {
  const logits = options.logits ?? ['logits_per_image', 'logits_per_text'];
  const hidden = options.hidden ?? [];
  const logitWeight = options.logitWeight ?? 1;
  const hiddenWeight = options.hiddenWeight ?? 1;
  if (!(logitWeight >= 0) || !(hiddenWeight >= 0)) throw new InvalidArgumentError({ message: `Distillation weights must be ≥ 0 (logitWeight ${logitWeight}, hiddenWeight ${hiddenWeight}).` });
  return [
    ...logits.map((output) => ({ output, kind: 'kl' as const, weight: logitWeight / logits.length, temperature: options.temperature ?? 1 })),
    ...hidden.map((pair) => ({ output: pair.student, kind: 'mse' as const, weight: hiddenWeight / hidden.length })),
  ].filter((term) => term.weight > 0);
}

/**
 * Distils the dense teacher into the pruned (compacted) student with `train()`: AdamW, warm-up +
 * cosine schedule, seeded data order; loss = Σ distillation terms ({@link distillTerms}) +
 * `taskWeight` × `taskLoss`. The teacher's hidden states are renamed to the student's output names
 * of their pair. Returns the trainer's result (losses per step, duration).
 */
export async function mopeDistill<Batch>(options: MopeDistillOptions<Batch>): Promise<TrainResult> {
  const terms = distillTerms(options);
  const taskWeight = options.taskWeight ?? 0;
  const hidden = options.hidden ?? [];
  const needed = new Set(terms.map((t) => t.output));
  return train<Batch>({
    params: options.params,
    forward(batch, weights) {
      const outputs = options.student(batch, weights);
      const loss = taskWeight > 0 && options.taskLoss ? options.taskLoss(outputs) : undefined;
      return { loss, outputs };
    },
    data: options.data,
    batchSize: options.batchSize,
    steps: options.steps,
    learningRate: options.learningRate,
    schedule: { warmupSteps: options.warmupSteps ?? 0 },
    ...(options.weightDecay === undefined ? {} : { optimizer: { weightDecay: options.weightDecay } }),
    distill: {
      async teacher(batch) {
        const out = await options.teacher(batch);
        const renamed: Record<string, tf.Tensor> = {};
        for (const pair of hidden) if (out[pair.teacher] && needed.has(pair.student)) renamed[pair.student] = out[pair.teacher] as tf.Tensor;
        for (const name of needed) if (!renamed[name] && out[name]) renamed[name] = out[name] as tf.Tensor;
        const kept = new Set(Object.values(renamed));
        for (const t of Object.values(out)) if (!kept.has(t)) t.dispose();
        return renamed;
      },
      terms,
      taskWeight,
    },
    seed: options.seed,
    signal: options.signal,
    onEvent: options.onEvent,
  });
}
