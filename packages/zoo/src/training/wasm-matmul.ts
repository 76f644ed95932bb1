import { installFastWasmMatMul } from '@vlp/core';

/**
 * Runs `fn` with tfjs-wasm's fast transposed `BatchMatMul` installed (`installFastWasmMatMul` of
 * `@vlp/core`, which `initBackend` already installs on wasm; this makes sure of it for callers that
 * set the backend themselves). The kernel stays installed afterwards: it computes the same products.
 * Does nothing on other backends.
 */
export async function withFastWasmMatMul<T>(fn: () => Promise<T>): Promise<T> {
  installFastWasmMatMul();
  return fn();
}
