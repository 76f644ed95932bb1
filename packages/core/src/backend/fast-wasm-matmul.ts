import * as tf from '@tensorflow/tfjs';

type KernelFunc = tf.KernelConfig['kernelFunc'];

/** Marks the replacement kernel so that installing twice does not wrap it twice. */
const FAST = Symbol.for('vlp.fastWasmMatMul');

/** Swaps the last two axes. */
function lastTwoSwapped(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/** True when every axis but the last two has size 1 (a single matrix). */
function isSingleMatrix(shape: readonly number[]): boolean {
  return shape.slice(0, -2).every((d) => d === 1);
}

/**
 * Replaces tfjs-wasm's `BatchMatMul` kernel by one that is fast for transposed single matrices.
 * tfjs-wasm 4.22 multiplies `Aᵀ·B` and `A·Bᵀ` on a slow path (measured on a 2-core machine: 514 ms
 * for `[4160, 512]ᵀ · [4160, 128]` against 20 ms for an explicit transpose followed by a plain
 * product), and those are exactly the weight and input gradients of every linear layer: training
 * tiny-clip runs about 8× faster. The replacement transposes the operand explicitly and calls the
 * original kernel without the flag; batched products (attention) keep the original path. The
 * products are the same numbers (tested equal). `initBackend` installs it whenever it activates
 * wasm. Idempotent; returns false (and does nothing) when the active backend is not wasm.
 */
export function installFastWasmMatMul(): boolean {
  if (tf.getBackend() !== 'wasm') return false;
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!original || !transpose) return false;
  if ((original.kernelFunc as unknown as Record<symbol, boolean>)[FAST]) return true;
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    const fixA = transposeA && isSingleMatrix(a.shape);
    const fixB = transposeB && isSingleMatrix(b.shape);
    if (!fixA && !fixB) return original.kernelFunc({ inputs, backend, attrs });
    const explicit = (x: tf.TensorInfo) => transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm: lastTwoSwapped(x.shape.length) } }) as tf.TensorInfo;
    const a2 = fixA ? explicit(a) : a;
    const b2 = fixB ? explicit(b) : b;
    try {
      return original.kernelFunc({ inputs: { a: a2, b: b2 }, backend, attrs: { ...attrs, transposeA: transposeA && !fixA, transposeB: transposeB && !fixB } });
    } finally {
      const data = backend as unknown as { disposeData(id: object): void };
      if (fixA) data.disposeData(a2.dataId);
      if (fixB) data.disposeData(b2.dataId);
    }
  };
  (kernelFunc as unknown as Record<symbol, boolean>)[FAST] = true;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...original, kernelFunc });
  return true;
}
