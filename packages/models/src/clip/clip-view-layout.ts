import type { PrunableUnit, Structure } from '@vlp/core';
import { attentionStructures, attentionUnits, layerStructure, mlpUnits, neuronStructures } from '../view/tower-structures.js';
import type { ClipArch } from './clip-arch.js';

/** The prunable units and structures of a CLIP model (q, k, v, out, fc1, fc2 of every layer). */
export function clipViewLayout(arch: ClipArch): { units: PrunableUnit[]; structures: Structure[] } {
  const units: PrunableUnit[] = [];
  const structures: Structure[] = [];
  for (const tower of ['vision', 'text'] as const) {
    const t = arch[tower];
    t.layers.forEach((layer, position) => {
      const i = t.layerIndices[position] as number;
      const p = `${tower}_model.encoder.layers.${i}`;
      const blockId = `${tower}.${i}`;
      const attn = {
        q: `${p}.self_attn.q_proj.weight`,
        k: `${p}.self_attn.k_proj.weight`,
        v: `${p}.self_attn.v_proj.weight`,
        out: `${p}.self_attn.out_proj.weight`,
        queryIn: t.hidden,
        keyValueIn: t.hidden,
        hidden: t.hidden,
      };
      const fc1 = `${p}.mlp.fc1.weight`;
      const fc2 = `${p}.mlp.fc2.weight`;
      const blockUnits = [
        ...attentionUnits(attn, layer.attention, tower, blockId, i, 'attn'),
        ...mlpUnits(fc1, fc2, t.hidden, layer.mlp, tower, blockId, i),
      ];
      units.push(...blockUnits);
      const inner = layer.attention.heads * layer.attention.headDim;
      const blockParams = 3 * inner * (t.hidden + 1) + t.hidden * (inner + 1) + layer.mlp * (t.hidden + 1) + t.hidden * (layer.mlp + 1) + 4 * t.hidden;
      structures.push(
        ...attentionStructures(attn, layer.attention, tower, blockId, blockId, 'attn'),
        ...neuronStructures(fc1, fc2, t.hidden, layer.mlp, tower, blockId, blockId),
        layerStructure(blockUnits, tower, blockId, blockId, blockParams),
      );
    });
  }
  return { units, structures };
}
