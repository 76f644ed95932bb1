import * as tf from '@tensorflow/tfjs';
import { throwIfAborted, type CalibrationSource, type PrunableUnit, type PruneContext, type Rng } from '@vlp/core';
import { batchSize } from './batch-size.js';
import type { LossAt } from './loss.js';
import { perturbedWeight, projectedGradient } from './score.js';

/** The noise `z` of one unit, batch and draw, shaped like the unit (`[out, in]` row-major). */
export type NoiseSource = (unit: PrunableUnit, batch: number, draw: number) => Float32Array;

/** Seeded Gaussian noise: an independent `ctx.rng` stream per unit, batch and draw. */
export function rngNoise(rng: Rng): NoiseSource {
  const root = rng.split('zeroth-order');
  return (unit, batch, draw) => root.split(unit.name).split(`${batch}:${draw}`).fillNormal(new Float32Array(unit.shape[0] * unit.shape[1]));
}

/** One ±εz evaluation, for diagnostics and parity tests. */
export interface ZerothOrderDraw {
  readonly batch: number;
  readonly lossPlus: number;
  readonly lossMinus: number;
  readonly projectedGradient: number;
}

/** Options of {@link zerothOrderGradients}. */
export interface ZerothOrderOptions<Batch> {
  readonly epsilon: number;
  /** Stop a unit once this many samples were used (official `num_samples`). */
  readonly samples: number;
  readonly noiseSamples: number;
  readonly noise: NoiseSource;
  readonly loss: LossAt<Batch>;
  /** The current (dense) weight of a unit, read-only. */
  readWeight(unit: PrunableUnit): Promise<Float32Array>;
  /** Called after every unit (memory probes). */
  onUnitEnd?(): void;
}

/** Per unit: `G = Σ_b |ĝ_b|` and the draws behind it. */
export type ZerothOrderGradients = Map<string, { readonly accumulated: number; readonly draws: readonly ZerothOrderDraw[] }>;

/**
 * Stage 1, zeroth-order (official `compute_importance_scores_mezo`): for each unit separately, for
 * each calibration batch until `samples` samples were seen, for each draw: `z` from `noise`, the loss
 * at `W + εz` and `W − εz` (two forwards, the perturbed weight fed as a per-run override — the view's
 * weights are never written), `ĝ = (L₊ − L₋)/2ε`, `G += |ĝ|`. Every draw counts the batch's samples,
 * as official. Emits `unit-score-start`/`-end`; checks `ctx.signal` between units and batches;
 * disposes each override before the next draw.
 */
export async function zerothOrderGradients<Batch>(
  units: readonly PrunableUnit[],
  calibration: CalibrationSource<Batch>,
  ctx: Pick<PruneContext<unknown>, 'signal' | 'emit'>,
  options: ZerothOrderOptions<Batch>,
): Promise<ZerothOrderGradients> {
  const out: ZerothOrderGradients = new Map();
  for (const [index, unit] of units.entries()) {
    throwIfAborted(ctx.signal, `zeroth-order scores of ${unit.name}`);
    ctx.emit({ type: 'unit-score-start', unit: unit.name, index, total: units.length });
    const weight = await options.readWeight(unit);
    const draws: ZerothOrderDraw[] = [];
    let accumulated = 0;
    let seen = 0;
    let b = 0;
    for await (const batch of calibration.batches()) {
      if (seen >= options.samples) break;
      throwIfAborted(ctx.signal, `zeroth-order batch ${b} of ${unit.name}`);
      for (let d = 0; d < options.noiseSamples && seen < options.samples; d++) {
        const z = options.noise(unit, b, d);
        const at = async (scale: number) => {
          const w = tf.tensor2d(perturbedWeight(weight, z, scale), [...unit.shape]);
          try {
            return await options.loss(batch, { [unit.name]: w }, ctx.signal);
          } finally {
            w.dispose();
          }
        };
        const lossPlus = await at(options.epsilon);
        const lossMinus = await at(-options.epsilon);
        const g = projectedGradient(lossPlus, lossMinus, options.epsilon);
        draws.push({ batch: b, lossPlus, lossMinus, projectedGradient: g });
        accumulated += Math.abs(g);
        seen += batchSize(batch);
      }
      b++;
    }
    out.set(unit.name, { accumulated, draws });
    options.onUnitEnd?.();
    ctx.emit({ type: 'unit-score-end', unit: unit.name, index, total: units.length });
  }
  return out;
}
