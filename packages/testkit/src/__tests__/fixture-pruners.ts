/**
 * Test-only pruners that exercise the capability-gated parts of the suite and of the synthetic
 * view: calibration with taps, gradients through gates (structured), and N:M.
 */
import * as tf from '@tensorflow/tfjs';
import {
  NotSupportedError,
  definePruner,
  pruneNM,
  throwIfAborted,
  type PrunableView,
  type Structure,
  type TapSpec,
} from '@vlp/core';
import { allocate } from '../pruners/allocate.js';
import { allocationConfigSchema } from '../pruners/allocation-schema.js';
import { scoreUnits } from '../pruners/score-units.js';

const NEEDS_NOTHING = { calibration: false, gradients: false, training: false, evaluator: false };

/** Wanda-like: |W_ij|·‖X_j‖ from `input-sum-squares` taps over the calibration batches (valid tokens). */
export function activationPruner() {
  return definePruner({
    id: 'activation-fixture',
    displayName: 'Activation (fixture)',
    version: '1.0.0',
    configSchema: allocationConfigSchema(),
    capabilities: { architectures: ['synthetic'], modalities: ['vision', 'text'], granularity: 'unstructured', requires: { ...NEEDS_NOTHING, calibration: true } },
    async prune(view, request, ctx) {
      const units = view.units.filter((u) => (request.scope?.modalities ?? ['vision', 'text']).includes(u.modality));
      const norms = new Map(units.map((u) => [u.name, new Float64Array(u.shape[1])]));
      const taps: TapSpec[] = units.map((u) => ({ kind: 'input-sum-squares', unit: u.name, tokens: 'valid' }));
      ctx.emit({ type: 'calibration-start', batches: ctx.calibration!.size });
      let index = 0;
      for await (const batch of ctx.calibration!.batches()) {
        throwIfAborted(ctx.signal, `calibration batch ${index}`);
        const result = await view.run(batch, { taps, signal: ctx.signal });
        try {
          for (const tap of result.taps) {
            const acc = norms.get((tap.spec as { unit: string }).unit)!;
            (await tap.value.data()).forEach((v, j) => (acc[j] += v));
          }
        } finally {
          result.dispose();
        }
        ctx.emit({ type: 'calibration-batch-end', index, total: ctx.calibration!.size });
        index++;
      }
      ctx.emit({ type: 'calibration-end', batches: index });
      const scores = await scoreUnits(units, ctx, async (unit) => {
        const w = (await view.weight(unit.name).data()) as Float32Array;
        const norm = norms.get(unit.name)!;
        const cols = unit.shape[1];
        return w.map((v, i) => Math.abs(v) * Math.sqrt(norm[i % cols]));
      });
      return allocate(units, scores, request.sparsity, ctx.config.allocation);
    },
  });
}

function ownedWeights(structure: Structure, view: PrunableView<unknown>): number {
  const shapes = new Map(view.units.map((u) => [u.name, u.shape]));
  return structure.slices.reduce((n, s) => n + s.indices.length * shapes.get(s.unit)![s.axis === 'out' ? 1 : 0], 0);
}

/**
 * Structured, gradient-based: scores heads and neurons by |∂loss/∂gate| accumulated over the
 * task's training batches, then removes the lowest score per owned weight until the target.
 */
export function gateGradientPruner() {
  return definePruner({
    id: 'gate-gradient-fixture',
    displayName: 'Gate gradient (fixture)',
    version: '1.0.0',
    configSchema: allocationConfigSchema(),
    capabilities: {
      architectures: ['synthetic'],
      modalities: ['vision', 'text'],
      granularity: 'structured',
      structures: ['head', 'neuron'],
      requires: { ...NEEDS_NOTHING, gradients: true },
    },
    async prune(view, request, ctx) {
      const task = ctx.task!;
      const modalities = request.scope?.modalities ?? ['vision', 'text'];
      const structures = view.structures.filter((s) => (s.kind === 'head' || s.kind === 'neuron') && modalities.includes(s.modality));
      const sizes = new Map<string, number>();
      for (const s of structures) sizes.set(s.gate.group, Math.max(sizes.get(s.gate.group) ?? 0, s.gate.index + 1));
      const groups = [...sizes.keys()];
      const importance = new Map(groups.map((g) => [g, new Float64Array(sizes.get(g)!)]));
      let step = 0;
      for await (const batch of task.train!.batches()) {
        throwIfAborted(ctx.signal, `gradient step ${step}`);
        const gates = groups.map((g) => tf.ones([sizes.get(g)!]) as tf.Tensor1D);
        const loss = (...gs: tf.Tensor[]) => {
          const value = task.loss!(view, batch, { gates: Object.fromEntries(groups.map((g, i) => [g, gs[i] as tf.Tensor1D])) });
          if (value instanceof Promise) throw new NotSupportedError({ message: 'gate-gradient-fixture needs a synchronous task loss.' });
          return value;
        };
        const grads = tf.grads(loss)(gates);
        for (const [i, g] of groups.entries()) (await grads[i].data()).forEach((v, j) => (importance.get(g)![j] += Math.abs(v)));
        tf.dispose([...gates, ...grads]);
        ctx.emit({ type: 'step-end', step, total: task.train!.size ?? 0 });
        step++;
      }
      const total = view.units.filter((u) => modalities.includes(u.modality)).reduce((n, u) => n + u.shape[0] * u.shape[1], 0);
      const budget = request.sparsity * total;
      const ranked = structures
        .map((s) => ({ s, size: ownedWeights(s, view) }))
        .map((x) => ({ ...x, score: importance.get(x.s.gate.group)![x.s.gate.index] / x.size }))
        .sort((a, b) => a.score - b.score);
      const removed: string[] = [];
      let pruned = 0;
      for (const { s, size } of ranked) {
        if (pruned + size > budget) continue;
        removed.push(s.id);
        pruned += size;
      }
      return { structureMask: { removed } };
    },
  });
}

/** 2:4 by magnitude along each row's input groups. */
export function nmMagnitudePruner() {
  return definePruner({
    id: 'nm-magnitude-fixture',
    displayName: '2:4 magnitude (fixture)',
    version: '1.0.0',
    configSchema: allocationConfigSchema(),
    capabilities: { architectures: '*', modalities: ['vision', 'text'], granularity: 'n:m', requires: NEEDS_NOTHING },
    async prune(view, request, ctx) {
      const units = view.units.filter((u) => (request.scope?.modalities ?? ['vision', 'text']).includes(u.modality));
      const masks = new Map<string, Uint8Array>();
      await scoreUnits(units, ctx, async (unit) => {
        const scores = (await view.weight(unit.name).data()) as Float32Array;
        masks.set(unit.name, pruneNM(scores.map(Math.abs), unit.shape, 2, 4));
        return scores;
      });
      return { masks };
    },
  });
}
