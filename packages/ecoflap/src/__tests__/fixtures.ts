/** Test helpers: the shared fixtures beside the checkout (`../shared/fixtures`). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { type CalibrationSource, readSafetensors } from '@vlp/core';

/** The repository root (this file is `packages/ecoflap/src/__tests__/fixtures.ts`). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const HF_FIXTURES = path.resolve(REPO_ROOT, '../shared/fixtures/hf');
export const CLIP_TINY = path.join(HF_FIXTURES, 'clip-tiny');
/** The official ECoFLaP runs (README §2 of `fixtures/official`). */
export const OFFICIAL_ECOFLAP = path.resolve(REPO_ROOT, '../shared/fixtures/official/ecoflap');

export const readJson = <T>(name: string): T => JSON.parse(readFileSync(path.join(OFFICIAL_ECOFLAP, name), 'utf8')) as T;

/** Every tensor of a `.safetensors` file as float32 host values. */
export async function readArrays(file: string): Promise<Map<string, Float32Array>> {
  const st = await readSafetensors(file);
  const out = new Map<string, Float32Array>();
  try {
    for (const name of st.names) out.set(name, await st.readFloat32(name));
  } finally {
    await st.close();
  }
  return out;
}

/** The tensors of a reference inputs file (ids and masks as int32). The caller disposes them. */
export async function readInputs(file: string): Promise<Record<string, tf.Tensor>> {
  const st = await readSafetensors(file);
  const out: Record<string, tf.Tensor> = {};
  try {
    for (const name of st.names) {
      const values = await st.readFloat32(name);
      const shape = [...st.info(name).shape];
      out[name] = name === 'pixel_values' ? tf.tensor(values, shape) : tf.tensor(Int32Array.from(values), shape, 'int32');
    }
  } finally {
    await st.close();
  }
  return out;
}

/** A calibration source of the given batches. */
export function sourceOf<Batch>(...batches: Batch[]): CalibrationSource<Batch> {
  return {
    size: batches.length,
    async *batches() {
      yield* batches;
    },
  };
}
