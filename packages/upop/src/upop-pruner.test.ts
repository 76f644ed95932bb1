import * as tf from '@tensorflow/tfjs';
import { type PruneEvent, type RunOptions, type Structure, VlpError, prune, structureMaskToUnitMasks } from '@vlp/core';
import { type SyntheticBatch, type SyntheticView, type SyntheticViewOptions, createSyntheticView, syntheticTask } from '@vlp/testkit';
import { describePrunerConformance } from '@vlp/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { collectMaskGroups } from './mask-groups.js';
import { upop } from './upop-pruner.js';

const ROLES = ['q_proj', 'k_proj', 'v_proj'] as const;
const unit = (tower: string, block: number, role: string) => `${tower}_model.encoder.layers.${block}.self_attn.${role}.weight`;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * The synthetic view plus UPop's `head-channel` structures (gate group `<tower>.<block>.attn.channels`,
 * channel c owning rows `h·d_head + c` of q, k, v and the same columns of out), which the testkit's
 * view does not have. Test-only: a channel gate is applied by scaling those rows of the q/k/v
 * WEIGHTS (a weight override), so the q/k/v biases are not gated — enough for the contract cases,
 * not a faithful forward (the CLIP/BLIP views of @vlp/models gate after the projection).
 */
export function createChannelView(options: SyntheticViewOptions = {}): SyntheticView {
  const inner = createSyntheticView(options);
  const { hidden: d, heads, blocks } = inner.dims;
  const hd = d / heads;
  const channels: Structure[] = (['vision', 'text'] as const).flatMap((tower) =>
    range(blocks).flatMap((b) =>
      range(hd).map<Structure>((c) => {
        const rows = range(heads).map((h) => h * hd + c);
        return {
          id: `${tower}.${b}.attn.channel.${c}`,
          kind: 'head-channel',
          modality: tower,
          blockId: `${tower}.${b}`,
          gate: { group: `${tower}.${b}.attn.channels`, index: c },
          slices: [...ROLES.map((r) => ({ unit: unit(tower, b, r), axis: 'out' as const, indices: rows })), { unit: unit(tower, b, 'out_proj'), axis: 'in' as const, indices: rows }],
          params: 3 * heads * (d + 1) + heads * d,
        };
      }),
    ),
  );
  const translate = (o: RunOptions = {}): { options: RunOptions; created: tf.Tensor[] } => {
    const gates = { ...o.gates };
    const weights = { ...o.weights };
    const created: tf.Tensor[] = [];
    for (const [group, gate] of Object.entries(o.gates ?? {})) {
      const m = /^(vision|text)\.(\d+)\.attn\.channels$/.exec(group);
      if (!m) continue;
      delete gates[group];
      const rows = tf.reshape(tf.tile(gate, [heads]), [d, 1]);
      created.push(rows);
      for (const r of ROLES) {
        const name = unit(m[1] as string, Number(m[2]), r);
        const scaled = tf.mul(weights[name] ?? inner.weight(name), rows) as tf.Tensor2D;
        created.push(scaled);
        weights[name] = scaled;
      }
    }
    return { options: { ...o, gates, weights }, created };
  };
  return {
    ...inner,
    structures: Object.freeze([...inner.structures, ...channels]),
    runSync: (batch: SyntheticBatch, o?: RunOptions) => inner.runSync(batch, translate(o).options),
    run: async (batch: SyntheticBatch, o?: RunOptions) => {
      const t = translate(o);
      try {
        return inner.runSync(batch, t.options);
      } finally {
        tf.dispose(t.created);
      }
    },
  };
}

const fast = { searchSteps: 6, interval: 2, learningRate: 1e-3 };

describePrunerConformance(upop(fast), {
  createView: () => createChannelView(),
  task: syntheticTask(),
  validConfigs: [
    {},
    { gradient: 'per-step' },
    { compressionWeight: { kind: 'constant' } },
    { trainWeights: false },
    { retrainSteps: 2 },
  ],
  invalidConfigs: [
    { config: { searchSteps: 0 }, path: ['searchSteps'] },
    { config: { interval: 1.5 }, path: ['interval'] },
    { config: { searchSteps: 4, interval: 5 }, path: ['interval'] },
    { config: { attnWeight: -1 }, path: ['attnWeight'] },
    { config: { gradient: 'sum' }, path: ['gradient'] },
    { config: { compressionWeight: { kind: '36' } }, path: ['compressionWeight', 'kind'] },
    { config: { p: 0.5 }, path: [] },
  ],
});

const code = (e: unknown) => (VlpError.isInstance(e) ? e.code : String(e));

describe('upop', () => {
  describe('collectMaskGroups', () => {
    it('collects head-channel and neuron gate groups, attention first, with their params', () => {
      const view = createChannelView();
      const groups = collectMaskGroups(view, ['vision', 'text']);
      expect(groups.map((g) => `${g.kind}:${g.group}`)).toEqual([
        'attn:vision.0.attn.channels',
        'attn:vision.1.attn.channels',
        'attn:text.0.attn.channels',
        'attn:text.1.attn.channels',
        'mlp:vision.0.mlp.neurons',
        'mlp:vision.1.mlp.neurons',
        'mlp:text.0.mlp.neurons',
        'mlp:text.1.mlp.neurons',
      ]);
      // hidden 8, 2 heads: a channel owns 3·2 rows of 9 (weight + bias) and 2 columns of 8
      expect(groups[0]?.params[0]).toBe(3 * 2 * 9 + 2 * 8);
      expect(groups[4]?.params[0]).toBe(8 + 1 + 8);
      expect(collectMaskGroups(view, ['text']).every((g) => g.modality === 'text')).toBe(true);
      view.dispose();
    });
  });

  describe('upop()', () => {
    it('removes ≈ p of the prunable parameters, keeps ≥ 1 entry per module and emits step events', async () => {
      const view = createChannelView();
      const events: PruneEvent[] = [];
      const report = await prune(upop(fast), view, { sparsity: 0.5, seed: 0 }, { task: syntheticTask(), onEvent: (e) => events.push(e), apply: false });
      expect(Math.abs(report.sparsity.total.sparsity - 0.5)).toBeLessThan(0.05);
      const removed = new Set(report.structureMask?.removed);
      for (const g of collectMaskGroups(view, ['vision', 'text'])) expect(g.structures.some((id) => !removed.has(id))).toBe(true);
      expect(events.filter((e) => e.type === 'step-end').map((e) => (e as { step: number }).step)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(report.metrics.attnChannelsRemoved! + report.metrics.mlpNeuronsRemoved!).toBe(removed.size);
      view.dispose();
    });

    it('writes the trained weights back (setWeights) and zeroes the removed structures', async () => {
      const view = createChannelView();
      const before = Float32Array.from(view.weight('vision_model.encoder.layers.0.mlp.fc1.weight').dataSync());
      const report = await prune(upop(fast), view, { sparsity: 0.5, seed: 0 }, { task: syntheticTask() });
      const after = view.weight('vision_model.encoder.layers.0.mlp.fc1.weight').dataSync();
      const masks = structureMaskToUnitMasks(view, report.structureMask!);
      const mask = masks.get('vision_model.encoder.layers.0.mlp.fc1.weight');
      let changed = 0;
      after.forEach((v, i) => {
        if (mask && mask[i] === 0) expect(v).toBe(0);
        else if (v !== before[i]) changed++;
      });
      expect(changed).toBeGreaterThan(0);
      view.dispose();
    });

    it('is deterministic and leaks no tensors', async () => {
      const run = async () => {
        const view = createChannelView();
        const r = await prune(upop(fast), view, { sparsity: 0.75, seed: 3 }, { task: syntheticTask(), apply: false });
        view.dispose();
        return r.structureMask?.removed;
      };
      const first = await run();
      const tensors = tf.memory().numTensors;
      expect(await run()).toEqual(first);
      expect(tf.memory().numTensors).toBe(tensors);
    });

    it('rejects a view without head-channel or neuron structures in scope (VLP_NOT_SUPPORTED)', async () => {
      const view = createSyntheticView();
      const bare = { ...view, structures: view.structures.filter((s) => s.kind !== 'neuron') };
      await expect(prune(upop(fast), bare, { sparsity: 0.5, seed: 0 }, { task: syntheticTask() }).catch(code)).resolves.toBe('VLP_NOT_SUPPORTED');
      view.dispose();
    });
  });
});
