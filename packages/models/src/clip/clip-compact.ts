import { NotSupportedError, type StructureMask } from '@vlp/core';
import { ParamStore, type StoredParam } from '../weights/param-store.js';
import { takeColumns, takeRows } from '../weights/slice.js';
import { keptIndices, planRemoval } from '../view/structure-plan.js';
import type { ClipArch, LayerShape, TowerArch } from './clip-arch.js';
import { ClipModel } from './clip-model.js';
import { clipViewLayout } from './clip-view-layout.js';

/**
 * Physically removes heads, per-head channels, MLP neurons and whole layers. The result's outputs
 * equal the gated model's (gate 0 on every removed structure). Softmax-scale convention: q keeps
 * the ORIGINAL `head_dim^-0.5` after channels are sliced (stored per layer in the geometry), so
 * the compacted model computes exactly what the gated one did.
 */
export function compactClip(model: ClipModel, mask: StructureMask): ClipModel {
  const plan = planRemoval(clipViewLayout(model.arch).structures, mask);
  const params = new Map<string, StoredParam>();
  for (const name of model.params.names()) params.set(name, model.params.get(name));
  const towers = {} as Record<'vision' | 'text', TowerArch>;
  for (const tower of ['vision', 'text'] as const) {
    const t = model.arch[tower];
    const layers: LayerShape[] = [];
    const indices: number[] = [];
    t.layers.forEach((layer, position) => {
      const i = t.layerIndices[position] as number;
      const p = `${tower}_model.encoder.layers.${i}`;
      const removal = plan.get(`${tower}.${i}`);
      if (removal?.layer) {
        for (const name of [...params.keys()]) if (name.startsWith(`${p}.`)) params.delete(name);
        return;
      }
      const { heads, headDim } = layer.attention;
      const keptHeads = keptIndices(heads, removal?.heads ?? new Set());
      const keptChannels = keptIndices(headDim, removal?.channels ?? new Set());
      const keptNeurons = keptIndices(layer.mlp, removal?.neurons ?? new Set());
      if (keptHeads.length === 0 || keptChannels.length === 0 || keptNeurons.length === 0) {
        throw new NotSupportedError({
          message: `Compacting would leave an empty ${keptNeurons.length === 0 ? 'MLP' : 'attention'} in ${tower} layer ${i}; remove the whole layer (structure "${tower}.${i}.layer") instead.`,
        });
      }
      const rows = keptHeads.flatMap((h) => keptChannels.map((c) => h * headDim + c));
      const slice = (name: string, fn: (p: StoredParam) => { shape: number[]; data: Float32Array }) => params.set(name, fn(params.get(name) as StoredParam));
      for (const proj of ['q_proj', 'k_proj', 'v_proj']) {
        slice(`${p}.self_attn.${proj}.weight`, (w) => ({ shape: [rows.length, w.shape[1] as number], data: takeRows(w.data, w.shape[1] as number, rows) }));
        slice(`${p}.self_attn.${proj}.bias`, (b) => ({ shape: [rows.length], data: takeRows(b.data, 1, rows) }));
      }
      slice(`${p}.self_attn.out_proj.weight`, (w) => ({ shape: [w.shape[0] as number, rows.length], data: takeColumns(w.data, w.shape[1] as number, rows) }));
      slice(`${p}.mlp.fc1.weight`, (w) => ({ shape: [keptNeurons.length, w.shape[1] as number], data: takeRows(w.data, w.shape[1] as number, keptNeurons) }));
      slice(`${p}.mlp.fc1.bias`, (b) => ({ shape: [keptNeurons.length], data: takeRows(b.data, 1, keptNeurons) }));
      slice(`${p}.mlp.fc2.weight`, (w) => ({ shape: [w.shape[0] as number, keptNeurons.length], data: takeColumns(w.data, w.shape[1] as number, keptNeurons) }));
      layers.push({ attention: { heads: keptHeads.length, headDim: keptChannels.length, scale: layer.attention.scale }, mlp: keptNeurons.length });
      indices.push(i);
    });
    towers[tower] = { ...t, layers, layerIndices: indices };
  }
  const arch: ClipArch = { vision: towers.vision, text: towers.text };
  return new ClipModel(model.config, arch, new ParamStore(params), model.runner.onnxOptions, model.sourceDir);
}
