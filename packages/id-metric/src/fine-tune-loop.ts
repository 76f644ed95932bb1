import * as tf from '@tensorflow/tfjs';
import {
  type CalibrationSource,
  type CubicMaskingOptions,
  cubicMaskingStep,
  cubicSchedule,
  NotSupportedError,
  type PrunableUnit,
  type PrunableView,
  type PruneContext,
  type TaskAdapter,
  throwIfAborted,
} from '@vlp/core';
import { type AdamWSlot, adamwUpdate, learningRateAt } from '@vlp/tasks';
import { masksForRemaining } from './apply-rule.js';
import type { IdIterativeConfig } from './id-iterative-config.js';
import { disposePlatonState, idScaledScore, initialPlatonState, magnitudeSensitivity, type PlatonState, platonScore, platonUpdate, taylorSensitivity } from './score.js';

/**
 * Algorithm 1 of Wang, Zhang & Ma (ICML 2024) — the official `update_and_pruning` called after every
 * `optimizer.step()` — as a small training loop over the prunable view: the units' weights are
 * tf.Variables passed to `task.loss` as per-run overrides, updated with AdamW (cosine learning
 * rate), then the importance state is updated and, on masking steps of the cubic schedule, the
 * weights with the lowest `base · ID_l` are zeroed in place (they may regrow until the next masking,
 * as in the official code). `@vlp/tasks`' `train()` holds masks fixed and has no per-step hook that
 * may change them, hence this loop (the same AdamW and learning-rate pieces). Only the prunable
 * weights train (the view exposes no other parameters).
 */

/** What {@link fineTuneAndPrune} returns. */
export interface FineTuneResult {
  /** The masks of the last masking step, by unit. */
  readonly masks: Map<string, Uint8Array>;
  /** The fine-tuned weights (pruned entries 0), by unit. */
  readonly weights: Map<string, Float32Array>;
  readonly steps: number;
  readonly maskings: number;
  readonly finalLoss: number;
}

const isPromise = (v: unknown): boolean => typeof (v as Promise<unknown> | undefined)?.then === 'function';

type State = { kind: 'platon'; platon: PlatonState } | { kind: 'simple'; ipt: tf.Tensor | undefined };

function score(state: State): tf.Tensor {
  return state.kind === 'platon' ? platonScore(state.platon) : tf.clone(state.ipt!);
}

/** Runs the loop. `ids` holds the ID of every unit of `units`; `schedule` comes from `scheduleOptions`. */
export async function fineTuneAndPrune<Batch>(
  view: PrunableView<Batch>,
  units: readonly PrunableUnit[],
  ids: ReadonlyMap<string, number>,
  data: CalibrationSource<Batch>,
  task: TaskAdapter<Batch>,
  config: IdIterativeConfig,
  schedule: CubicMaskingOptions,
  ctx: Pick<PruneContext<unknown>, 'signal' | 'emit'>,
): Promise<FineTuneResult> {
  const loss = task.loss;
  if (!loss) throw new NotSupportedError({ message: `Task "${task.id}" has no loss; iterative ID pruning fine-tunes with a differentiable task loss.` });
  const vars = new Map<string, tf.Variable>();
  const slots = new Map<string, AdamWSlot>();
  const states = new Map<string, State>();
  let masks = new Map<string, Uint8Array>();
  let lastRatio = Number.NaN;
  let maskings = 0;
  let step = 0;
  let finalLoss = Number.NaN;
  const T = schedule.totalSteps;

  const maskAt = async (remaining: number) => {
    const scores = new Map<string, Float32Array>();
    for (const u of units) {
      const s = tf.tidy(() => (config.useId ? idScaledScore(score(states.get(u.name)!), ids.get(u.name)!) : score(states.get(u.name)!)));
      scores.set(u.name, Float32Array.from((await s.data()) as Float32Array));
      s.dispose();
    }
    masks = masksForRemaining(scores, remaining, config.thresholdRule);
    for (const u of units) {
      const v = vars.get(u.name)!;
      tf.tidy(() => v.assign(tf.add(tf.mul(v, tf.tensor(Float32Array.from(masks.get(u.name)!), v.shape)), 0)));
    }
    lastRatio = remaining;
    maskings++;
  };

  try {
    for (const u of units) {
      vars.set(u.name, tf.tidy(() => tf.variable(tf.clone(view.weight(u.name)), true)));
      slots.set(u.name, tf.tidy(() => ({ m: tf.variable(tf.zeros([...u.shape]), false), v: tf.variable(tf.zeros([...u.shape]), false) })));
      states.set(u.name, config.base === 'platon' ? { kind: 'platon', platon: tf.tidy(() => initialPlatonState(vars.get(u.name)!)) } : { kind: 'simple', ipt: undefined });
    }
    const varList = units.map((u) => vars.get(u.name)!);
    const overrides = Object.fromEntries(units.map((u) => [u.name, vars.get(u.name)! as tf.Tensor2D]));
    for (let epoch = 0; epoch < config.epochs && step < T; epoch++) {
      for await (const batch of data.batches()) {
        if (step >= T) break;
        throwIfAborted(ctx.signal, `ID fine-tuning step ${step + 1}`);
        const lr = learningRateAt(step, T, config.learningRate, { decay: 'cosine' });
        step++;
        const { value, grads } = tf.variableGrads(() => {
          const l = loss(view, batch, { weights: overrides, engine: 'tfjs' });
          if (isPromise(l)) {
            void (l as Promise<tf.Scalar>).then((t) => t.dispose(), () => undefined);
            throw new NotSupportedError({ message: `Task "${task.id}" computes its loss asynchronously; iterative ID pruning needs a synchronous loss on the tfjs engine.` });
          }
          return l as tf.Scalar;
        }, varList);
        try {
          finalLoss = (await value.data())[0]!;
          for (const u of units) {
            const v = vars.get(u.name)!;
            const g = grads[v.name]!;
            adamwUpdate(v, g, slots.get(u.name)!, lr, step, config.weightDecay > 0, { weightDecay: config.weightDecay });
            const state = states.get(u.name)!;
            if (state.kind === 'platon') {
              const next = tf.tidy(() => platonUpdate(state.platon, taylorSensitivity(v, g), step, config));
              disposePlatonState(state.platon);
              state.platon = next;
            } else {
              state.ipt?.dispose();
              state.ipt = config.base === 'taylor' ? taylorSensitivity(v, g) : magnitudeSensitivity(v);
            }
          }
        } finally {
          value.dispose();
          tf.dispose(Object.values(grads));
        }
        if (cubicMaskingStep(step, schedule)) await maskAt(cubicSchedule(step, schedule));
        ctx.emit({ type: 'step-end', step, total: T, loss: finalLoss });
      }
    }
    if (!(lastRatio === schedule.finalRatio)) await maskAt(schedule.finalRatio);
    const weights = new Map<string, Float32Array>();
    for (const u of units) weights.set(u.name, Float32Array.from((await vars.get(u.name)!.data()) as Float32Array));
    return { masks, weights, steps: step, maskings, finalLoss };
  } finally {
    tf.dispose([...vars.values(), ...[...slots.values()].flatMap((s) => [s.m, s.v])]);
    for (const s of states.values()) {
      if (s.kind === 'platon') disposePlatonState(s.platon);
      else s.ipt?.dispose();
    }
  }
}
