import { NotSupportedError } from '@vlp/core';
import type { LayerShape, TowerArch } from '../clip/clip-arch.js';
import type { AttentionShape } from '../ops/transformer-blocks.js';

const sameScale = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.abs(b);

/** Whether two attention modules have the same heads, head size and q scale. */
export const sameAttention = (a: AttentionShape, b: AttentionShape): boolean => a.heads === b.heads && a.headDim === b.headDim && sameScale(a.scale, b.scale);

const sameLayer = (a: LayerShape, b: LayerShape) => a.mlp === b.mlp && sameAttention(a.attention, b.attention);

/**
 * Whether a tower's geometry fits a stock Hugging Face `CLIP*Config`: every layer has the same
 * head count and MLP width, `head_dim = hidden / heads` and the standard `head_dim^-0.5` scale.
 * Dropped layers do not matter (the layers are renumbered 0..n-1 when saved).
 */
export function isStockTower(tower: TowerArch): boolean {
  const first = tower.layers[0];
  if (first === undefined) return true;
  const { heads, headDim, scale } = first.attention;
  return heads > 0 && heads * headDim === tower.hidden && sameScale(scale, headDim ** -0.5) && tower.layers.every((l) => sameLayer(l, first));
}

/** Whether two towers have the same layers (indices and shapes). */
export function sameTower(a: TowerArch, b: TowerArch): boolean {
  return (
    a.hidden === b.hidden &&
    a.layers.length === b.layers.length &&
    a.layers.every((l, i) => a.layerIndices[i] === b.layerIndices[i] && sameLayer(l, b.layers[i] as LayerShape))
  );
}

/** The stock config fields describing a stock-expressible tower. */
export function stockTowerFields(tower: TowerArch): Record<string, number> {
  const first = tower.layers[0];
  return {
    num_hidden_layers: tower.layers.length,
    ...(first === undefined ? {} : { num_attention_heads: first.attention.heads, intermediate_size: first.mlp }),
  };
}

/**
 * Throws `NotSupportedError` when a tower's hidden size, activation or LayerNorm eps differs from
 * its config's (only heads, head channels, MLP neurons and whole layers are recorded on save).
 */
export function assertSavableTower(tower: string, got: TowerArch, want: TowerArch): void {
  if (got.hidden === want.hidden && got.act === want.act && got.eps === want.eps) return;
  throw new NotSupportedError({
    message:
      `saveModel: the ${tower} tower's hidden size / activation / eps (${got.hidden}, ${got.act}, ${got.eps}) differ from its config ` +
      `(${want.hidden}, ${want.act}, ${want.eps}); only heads, head channels, MLP neurons and whole layers can be compacted and saved.`,
  });
}
