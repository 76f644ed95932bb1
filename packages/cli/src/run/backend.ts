import { type BackendRequest, initBackend } from '@vlp/core';
import * as tf from '@tensorflow/tfjs';
import { usageError } from '../errors.js';

export const BACKENDS: readonly BackendRequest[] = ['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

/** Parses `--backend`. */
export function parseBackend(text: string): BackendRequest {
  if (!BACKENDS.includes(text as BackendRequest)) throw usageError(`--backend takes ${BACKENDS.join(', ')} (got "${text}").`);
  return text as BackendRequest;
}

/** Starts the tfjs backend (`VLP_BACKEND` overrides `--backend`) without tfjs' console banner. */
export async function startBackend(backend: BackendRequest, env: Readonly<Record<string, string | undefined>>): Promise<string> {
  tf.env().set('PROD', true);
  const info = await initBackend({ backend, env });
  return info.id;
}
