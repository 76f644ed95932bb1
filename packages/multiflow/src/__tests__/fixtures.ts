/** Test helpers: the shared fixtures beside the checkout (`../shared/fixtures`), read as host arrays or tensors. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { type CalibrationSource, readSafetensors } from '@vlp/core';

/** The repository root (this file is `packages/multiflow/src/__tests__/fixtures.ts`). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
/** The tiny Hugging Face checkpoints. */
export const HF_FIXTURES = path.resolve(REPO_ROOT, '../shared/fixtures/hf');
/** The official MULTIFLOW run on clip-tiny. */
export const OFFICIAL_CLIP_TINY = path.resolve(REPO_ROOT, '../shared/fixtures/official/multiflow/clip-tiny');

/** Every tensor of a `.safetensors` file as float32 host values (I64/U8 converted). */
export async function readArrays(file: string): Promise<Map<string, { values: Float32Array; shape: number[] }>> {
  const st = await readSafetensors(file);
  const out = new Map<string, { values: Float32Array; shape: number[] }>();
  try {
    for (const name of st.names) out.set(name, { values: await st.readFloat32(name), shape: [...st.info(name).shape] });
  } finally {
    await st.close();
  }
  return out;
}

/** The tensors of a reference inputs file (ids and masks as int32). The caller disposes them. */
export async function readInputs(file: string): Promise<Record<string, tf.Tensor>> {
  const arrays = await readArrays(file);
  const out: Record<string, tf.Tensor> = {};
  for (const [name, { values, shape }] of arrays) {
    out[name] = name === 'pixel_values' ? tf.tensor(values, shape) : tf.tensor(Int32Array.from(values), shape, 'int32');
  }
  return out;
}

/** A calibration source of exactly one batch. */
export function oneBatch<Batch>(batch: Batch): CalibrationSource<Batch> {
  return {
    size: 1,
    async *batches() {
      yield batch;
    },
  };
}

/** `max|got − ref| / max|ref|` (relative to the largest reference magnitude). */
export function relativeError(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (got.length !== ref.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** The official run's record (`multiflow.json`), the fields the tests read. */
export interface OfficialRecord {
  readonly prunable_tensors_in_order: string[];
  readonly layers: Record<string, { modality: 'vision' | 'text'; shape: [number, number]; numel: number }>;
  readonly calibration: { rows_seen_per_tensor: { vision: number; text: number }; nsamples_per_tensor: { vision: number[]; text: number[] } };
  readonly sparsities: Record<
    string,
    {
      target_sparsity: number;
      modalities: Record<string, { numel: number; k: number; tau_abs_weight: number; magnitude_stage_pruned: number; final_pruned: number }>;
      layers: Record<string, { distribution: number; k: number; pruned: number; magnitude_stage_pruned: number; rel_gap_at_threshold: number }>;
    }
  >;
}

export function readOfficialRecord(): OfficialRecord {
  return JSON.parse(readFileSync(path.join(OFFICIAL_CLIP_TINY, 'multiflow.json'), 'utf8')) as OfficialRecord;
}
