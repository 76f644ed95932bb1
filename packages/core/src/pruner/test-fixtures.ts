/**
 * Test-only fixtures of the pruner/ tests: a hand-made view (no forward), a tiny Standard Schema
 * and a pruner that prunes the first entries of every unit. Not exported from the package.
 */
import * as tf from '@tensorflow/tfjs';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { PruneResult, PrunerCapabilities } from '../contract/pruner.js';
import type { MaskSet, PrunableUnit, PrunableView, Structure } from '../contract/view.js';
import { throwIfAborted } from '../contract/abort.js';
import { definePruner, type PrunerDefinition } from './define-pruner.js';

/** Two vision units [4, 4] and one text unit [2, 4]. */
export const UNITS: readonly PrunableUnit[] = [
  { name: 'v.0.q.weight', modality: 'vision', blockId: 'vision.0', block: 0, role: 'attn.q', shape: [4, 4] },
  { name: 'v.0.out.weight', modality: 'vision', blockId: 'vision.0', block: 0, role: 'attn.out', shape: [4, 4] },
  { name: 't.0.fc1.weight', modality: 'text', blockId: 'text.0', block: 0, role: 'mlp.fc1', shape: [2, 4] },
];

/** Head 0 owns rows 0-1 of q and columns 0-1 of out; head 1 rows 2-3 / columns 2-3; neuron 1 row 1 of fc1. */
export const STRUCTURES: readonly Structure[] = [0, 1].map<Structure>((h) => ({
  id: `vision.0.attn.head.${h}`,
  kind: 'head',
  modality: 'vision',
  blockId: 'vision.0',
  gate: { group: 'vision.0.attn.heads', index: h },
  slices: [
    { unit: 'v.0.q.weight', axis: 'out', indices: [2 * h, 2 * h + 1] },
    { unit: 'v.0.out.weight', axis: 'in', indices: [2 * h, 2 * h + 1] },
  ],
  params: 16,
})).concat([{
  id: 'text.0.mlp.neuron.1',
  kind: 'neuron',
  modality: 'text',
  blockId: 'text.0',
  gate: { group: 'text.0.mlp.neurons', index: 1 },
  slices: [{ unit: 't.0.fc1.weight', axis: 'out', indices: [1] }],
  params: 5,
}]);

/** A view over fixed weights that records applyMasks/setWeights calls. Call `dispose()`. */
export function fakeView(architecture = 'fake'): PrunableView & { applied: MaskSet[]; set: ReadonlyMap<string, Float32Array>[]; dispose(): void } {
  const weights = new Map(UNITS.map((u) => [u.name, tf.tensor2d(Array.from({ length: u.shape[0] * u.shape[1] }, (_, i) => i + 1), [...u.shape])]));
  const applied: MaskSet[] = [];
  const set: ReadonlyMap<string, Float32Array>[] = [];
  return {
    architecture,
    modalities: ['vision', 'text'],
    units: UNITS,
    structures: STRUCTURES,
    weight: (name) => weights.get(name)!,
    run: () => Promise.reject(new Error('fakeView has no forward')),
    applyMasks: (masks) => void applied.push(masks),
    setWeights: (w) => void set.push(w),
    applied,
    set,
    dispose: () => weights.forEach((t) => t.dispose()),
  };
}

/** Parsed config of the fixture pruner. */
export interface FixtureConfig {
  readonly offset: number;
}

/** `{ offset?: integer ≥ 0 }` → `{ offset }` (default 0); unknown keys rejected. `async` validates asynchronously. */
export function fixtureSchema(async = false): StandardSchemaV1<{ offset?: number }, FixtureConfig> {
  const validate = (value: unknown): StandardSchemaV1.Result<FixtureConfig> => {
    if (typeof value !== 'object' || value === null) return { issues: [{ message: 'expected an object' }] };
    const issues: StandardSchemaV1.Issue[] = [];
    const { offset = 0, ...rest } = value as Record<string, unknown>;
    if (!Number.isInteger(offset) || (offset as number) < 0) issues.push({ message: 'expected an integer ≥ 0', path: [{ key: 'offset' }] });
    for (const key of Object.keys(rest)) issues.push({ message: 'unknown key', path: [key] });
    return issues.length ? { issues } : { value: { offset: offset as number } };
  };
  return { '~standard': { version: 1, vendor: 'vlp-test', validate: async ? async (v) => validate(v) : validate } };
}

/** Unstructured, any architecture, vision + text, needs nothing. */
export const CAPABILITIES: PrunerCapabilities = {
  architectures: '*',
  modalities: ['vision', 'text'],
  granularity: 'unstructured',
  requires: { calibration: false, gradients: false, training: false, evaluator: false },
};

/** Prunes the first ⌊s·n⌋ entries of every unit in scope (checking the signal between units). */
export function firstEntriesPruner(overrides: Partial<PrunerDefinition<FixtureConfig, { offset?: number }>> = {}) {
  return definePruner<FixtureConfig, { offset?: number }>({
    id: 'first-entries',
    displayName: 'First entries',
    version: '1.0.0',
    configSchema: fixtureSchema(),
    capabilities: CAPABILITIES,
    async prune(view, request, ctx): Promise<PruneResult> {
      const modalities = request.scope?.modalities ?? ['vision', 'text'];
      const masks = new Map<string, Uint8Array>();
      const units = view.units.filter((u) => modalities.includes(u.modality));
      units.forEach((unit, index) => {
        throwIfAborted(ctx.signal, unit.name);
        ctx.emit({ type: 'unit-score-start', unit: unit.name, index, total: units.length });
        const numel = unit.shape[0] * unit.shape[1];
        const mask = new Uint8Array(numel).fill(1).fill(0, 0, Math.floor(request.sparsity * numel));
        masks.set(unit.name, mask);
        ctx.emit({ type: 'unit-score-end', unit: unit.name, index, total: units.length });
      });
      return { masks, targets: new Map(units.map((u) => [u.name, request.sparsity])), notes: [`offset ${ctx.config.offset}`] };
    },
    ...overrides,
  });
}
