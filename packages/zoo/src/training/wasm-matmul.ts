import * as tf from '@tensorflow/tfjs';

type KernelFunc = tf.KernelConfig['kernelFunc'];

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
 * Makes tfjs-wasm's `BatchMatMul` fast for transposed single matrices while `fn` runs, then restores
 * the original kernel. tfjs-wasm multiplies `Aᵀ·B` and `A·Bᵀ` on a slow path (measured on this
 * project's 2-core machine: 514 ms for `[4160, 512]ᵀ · [4160, 128]` against 20 ms for an explicit
 * transpose followed by a plain product), and those are exactly the weight and input gradients of
 * every linear layer: training tiny-clip runs about 8× faster with the wrapper. The wrapper
 * transposes the operand explicitly and calls the original kernel without the flag; batched
 * products (attention) keep the original path, which is fast. Only the summation order inside the
 * product may differ, so results stay deterministic. Does nothing on other backends.
 */
export async function withFastWasmMatMul<T>(fn: () => Promise<T>): Promise<T> {
  if (tf.getBackend() !== 'wasm') return fn();
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!original || !transpose) return fn();
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
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...original, kernelFunc });
  try {
    return await fn();
  } finally {
    tf.unregisterKernel('BatchMatMul', 'wasm');
    tf.registerKernel(original);
  }
}
