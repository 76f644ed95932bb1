import { transposeToLinear } from '../engine/host-layout.js';
import type { ParamBinding } from '../ops/onnx-ops.js';
import type { ParamStore } from '../weights/param-store.js';

/**
 * Binds parameters as graph initializers holding the store's current values (masked or perturbed
 * weights included): `'as-is'` tensors reference the store's data, `'linear'` weights are transposed
 * HF `[out, in]` → `[in, out]` copies.
 */
export function storeInitializers(store: ParamStore): ParamBinding {
  return {
    kind: 'initializers',
    data(name, layout) {
      const p = store.get(name);
      if (layout === 'as-is') return { dims: [...p.shape], data: p.data };
      const out = p.shape[0] as number;
      return { dims: [p.data.length / out, out], data: transposeToLinear(p.data, p.shape) };
    },
  };
}
