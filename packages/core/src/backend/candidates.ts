import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** A tfjs backend vlp knows how to load, in the order `auto` tries them. */
export type BackendId = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

/** How to probe and activate one backend. */
export interface BackendCandidate {
  readonly id: BackendId;
  /** Why it cannot load here, or `undefined` when it looks loadable. Must not load native code. */
  unavailableReason(): string | undefined;
  /** Load and activate; resolves to the tfjs backend name now active (`tensorflow`, `wasm`, `cpu`). */
  activate(): Promise<string>;
}

const require = createRequire(import.meta.url);

function packageDir(name: string): string | undefined {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/**
 * The native addon file of tfjs-node(-gpu). A failed `require` of those packages registers kernels
 * before it throws, so we only require them when the addon built by their install script exists.
 */
export function findNativeAddon(dir: string): string | undefined {
  const lib = path.join(dir, 'lib');
  if (!existsSync(lib)) return undefined;
  for (const entry of readdirSync(lib)) {
    const file = path.join(lib, entry, 'tfjs_binding.node');
    if (existsSync(file)) return file;
  }
  return undefined;
}

function nativeCandidate(id: 'tfjs-node-gpu' | 'tfjs-node'): BackendCandidate {
  const pkg = `@tensorflow/${id}`;
  return {
    id,
    unavailableReason() {
      const dir = packageDir(pkg);
      if (!dir) return `${pkg} is not installed`;
      if (!findNativeAddon(dir)) return `${pkg} is installed but its native addon was not built (its install script did not run)`;
      return undefined;
    },
    async activate() {
      await import(pkg);
      if (!(await tf.setBackend('tensorflow'))) throw new Error(`${pkg} loaded but the 'tensorflow' backend failed to initialise`);
      return 'tensorflow';
    },
  };
}

const wasmCandidate: BackendCandidate = {
  id: 'wasm',
  unavailableReason() {
    const dir = packageDir('@tensorflow/tfjs-backend-wasm');
    if (!dir) return '@tensorflow/tfjs-backend-wasm is not installed';
    if (!existsSync(path.join(dir, 'dist', 'tfjs-backend-wasm.wasm'))) return 'the .wasm files of @tensorflow/tfjs-backend-wasm are missing';
    return undefined;
  },
  async activate() {
    const dir = packageDir('@tensorflow/tfjs-backend-wasm');
    setWasmPaths(`${path.join(dir as string, 'dist')}${path.sep}`);
    if (!(await tf.setBackend('wasm'))) throw new Error("the 'wasm' backend failed to initialise");
    return 'wasm';
  },
};

const cpuCandidate: BackendCandidate = {
  id: 'cpu',
  unavailableReason: () => undefined,
  async activate() {
    if (!(await tf.setBackend('cpu'))) throw new Error("the 'cpu' backend failed to initialise");
    return 'cpu';
  },
};

/** The real candidates, in `auto` order: tfjs-node-gpu, tfjs-node, wasm, cpu. */
export function defaultCandidates(): readonly BackendCandidate[] {
  return [nativeCandidate('tfjs-node-gpu'), nativeCandidate('tfjs-node'), wasmCandidate, cpuCandidate];
}
