import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError, InvalidArgumentError } from '../errors/index.js';
import { type BackendCandidate, type BackendId, defaultCandidates } from './candidates.js';
import { installFastWasmMatMul } from './fast-wasm-matmul.js';

/** `auto` tries tfjs-node-gpu, tfjs-node, wasm, cpu in that order. */
export type BackendRequest = 'auto' | BackendId;

export interface InitBackendOptions {
  /** Which backend; `VLP_BACKEND` in the environment overrides it. Default `auto`. */
  backend?: BackendRequest;
  /** Environment to read `VLP_BACKEND` from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** @internal Candidates to try (tests inject fakes). */
  candidates?: readonly BackendCandidate[];
}

export interface BackendInfo {
  /** The vlp backend id that is active. */
  readonly id: BackendId;
  /** The tfjs backend name (`tensorflow`, `wasm`, `cpu`), as `tf.getBackend()` reports it. */
  readonly name: string;
  /** What was asked for after applying `VLP_BACKEND`. */
  readonly requested: BackendRequest;
  /** Candidates skipped on the way, with the reason. */
  readonly skipped: readonly { readonly id: BackendId; readonly reason: string }[];
}

const REQUESTS: readonly BackendRequest[] = ['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

function resolveRequest(options: InitBackendOptions): BackendRequest {
  const env = options.env ?? process.env;
  const fromEnv = env.VLP_BACKEND?.trim();
  const request = (fromEnv || options.backend || 'auto') as BackendRequest;
  if (!REQUESTS.includes(request)) {
    throw new InvalidArgumentError({
      message:
        `Unknown backend "${request}"${fromEnv ? ' (from VLP_BACKEND)' : ''}. ` +
        `Use one of: ${REQUESTS.join(', ')}.`,
      actual: request,
      expected: REQUESTS,
    });
  }
  return request;
}

/**
 * Selects and activates the TensorFlow.js backend. With `auto`: `tfjs-node-gpu`, then `tfjs-node`
 * (each only when its native addon file exists), then `wasm` (its .wasm files resolved from the
 * installed package), then `cpu`. An explicit request that cannot load throws
 * `VLP_BACKEND_UNAVAILABLE` with the reason. Gradients and chained ops are registered because
 * `@vlp/core` imports the `@tensorflow/tfjs` union package (tfjs-core alone registers none).
 * On wasm it also installs {@link installFastWasmMatMul} (the same products, much faster gradients).
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const requested = resolveRequest(options);
  const candidates = options.candidates ?? defaultCandidates();
  const order = requested === 'auto' ? candidates : candidates.filter((c) => c.id === requested);
  const skipped: { id: BackendId; reason: string }[] = [];
  for (const candidate of order) {
    const reason = candidate.unavailableReason();
    if (reason !== undefined) {
      skipped.push({ id: candidate.id, reason });
      continue;
    }
    try {
      const name = await candidate.activate();
      if (name === 'wasm') installFastWasmMatMul();
      return { id: candidate.id, name, requested, skipped };
    } catch (error) {
      skipped.push({ id: candidate.id, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  const detail = skipped.map((s) => `${s.id}: ${s.reason}`).join('; ');
  throw new BackendUnavailableError({
    message:
      `No TensorFlow.js backend could be loaded for "${requested}" (${detail || 'no candidates'}). ` +
      'Use VLP_BACKEND=wasm or VLP_BACKEND=cpu, or install the backend (see docs/contributing.md, "GPU machines").',
    expected: requested,
  });
}

/** The active tfjs backend name, or `undefined` when none is initialised yet. */
export function currentBackend(): string | undefined {
  return tf.getBackend() || undefined;
}
