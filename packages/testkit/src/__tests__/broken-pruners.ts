/**
 * Test-only: one pruner per defect, each otherwise correct. The base scores every weight with
 * `ctx.rng.split(unit)` (after reading it from the view) and prunes ⌊s·n⌋ per unit.
 */
import * as tf from '@tensorflow/tfjs';
import { definePruner, kForSparsity, pruneLowest, throwIfAborted, type Granularity } from '@vlp/core';
import { type AllocationConfig, allocationConfigSchema, type StandardSchema } from '../pruners/allocation-schema.js';

/** Every defect the RED tests cover. */
export const DEFECTS = [
  'ignores-seed',
  'mutates-weights',
  'leaks-tensor',
  'ignores-abort',
  'events-out-of-order',
  'wrong-sparsity',
  'off-target-units',
  'accepts-invalid-config',
  'undeclared-calibration',
  'undeclared-task',
  'not-n-m',
] as const;
/** One defect of {@link DEFECTS}. */
export type Defect = (typeof DEFECTS)[number];

const acceptsAnything: StandardSchema<unknown, AllocationConfig> = {
  '~standard': { version: 1, vendor: 'broken', validate: () => ({ value: { allocation: 'per-unit' } }) },
};

/** The base pruner with one `defect` (none: the defect-free base). */
export function brokenPruner(defect?: Defect) {
  const granularity: Granularity = defect === 'not-n-m' ? 'n:m' : 'unstructured';
  return definePruner({
    id: defect ? `broken-${defect}` : 'clean-base',
    displayName: `Broken: ${defect ?? 'none'}`,
    version: '1.0.0',
    configSchema: defect === 'accepts-invalid-config' ? acceptsAnything : allocationConfigSchema(),
    capabilities: {
      architectures: '*',
      modalities: ['vision', 'text', 'fusion'],
      granularity,
      requires: { calibration: false, gradients: false, training: false, evaluator: false },
    },
    async prune(view, request, ctx) {
      if (defect === 'undeclared-calibration') for await (const _ of ctx.calibration!.batches()) break;
      if (defect === 'undeclared-task') void ctx.task!.id;
      const units = view.units.filter((u) => (request.scope?.modalities ?? ['vision', 'text', 'fusion']).includes(u.modality));
      const masks = new Map<string, Uint8Array>();
      for (const [index, unit] of units.entries()) {
        if (defect !== 'ignores-abort') throwIfAborted(ctx.signal, unit.name);
        const start = { type: 'unit-score-start', unit: unit.name, index, total: units.length } as const;
        const end = { ...start, type: 'unit-score-end' } as const;
        ctx.emit(defect === 'events-out-of-order' ? end : start);
        const weight = view.weight(unit.name);
        if (defect === 'leaks-tensor') tf.abs(weight);
        const numel = weight.size;
        const scores =
          defect === 'ignores-seed'
            ? Float32Array.from({ length: numel }, () => Math.random())
            : ctx.rng.split(unit.name).fillUniform(new Float32Array(numel));
        let sparsity = request.sparsity;
        if (defect === 'wrong-sparsity') sparsity /= 2;
        if (defect === 'off-target-units') sparsity += index % 2 === 0 ? -0.1 : 0.1;
        const mask = pruneLowest(scores, kForSparsity(numel, sparsity));
        masks.set(unit.name, mask);
        if (defect === 'mutates-weights') view.applyMasks(new Map([[unit.name, mask]]));
        ctx.emit(defect === 'events-out-of-order' ? start : end);
      }
      return { masks, targets: new Map(units.map((u) => [u.name, request.sparsity])) };
    },
  });
}
