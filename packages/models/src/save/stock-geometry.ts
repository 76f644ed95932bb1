import type { LayerShape, TowerArch } from '../clip/clip-arch.js';

const sameScale = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.abs(b);

const sameLayer = (a: LayerShape, b: LayerShape) =>
  a.mlp === b.mlp && a.attention.heads === b.attention.heads && a.attention.headDim === b.attention.headDim && sameScale(a.attention.scale, b.attention.scale);

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
