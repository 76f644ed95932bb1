import path from 'node:path';
import { atomicWriteFile, type SafetensorsTensorInput, writeSafetensors } from '@vlp/core';
import type { BlipModel } from '../blip/load-blip.js';
import type { ClipModel } from '../clip/clip-model.js';
import type { SavedGeometry } from './clip-checkpoint-plan.js';
import { configJson } from './config-json.js';
import { planCheckpoint } from './plan-checkpoint.js';
import { copySideFiles } from './side-files.js';
import { writeDirectoryAtomically } from './stage-directory.js';

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  /** Replace `dir` when it exists and is not empty (default `false`: refuse with `VLP_INVALID_ARGUMENT`). */
  readonly overwrite?: boolean;
  /**
   * Checkpoint directory to copy tokenizer / preprocessor / generation files from (default:
   * `model.sourceDir`, the directory the model was loaded from). Files it lacks are skipped.
   */
  readonly sourceDir?: string;
}

/** What {@link saveModel} wrote. */
export interface SavedModel {
  /** The absolute directory written. */
  readonly dir: string;
  /** File names in it. */
  readonly files: readonly string[];
  /** How the geometry is recorded in config.json (see {@link SavedGeometry}). */
  readonly geometry: SavedGeometry;
}

/**
 * Saves a CLIP or BLIP model (any head class) in the Hugging Face layout: `config.json`,
 * `model.safetensors` (every parameter as F32, `__metadata__ {"format":"pt"}`, canonical tensor
 * order as the `safetensors` library writes it) and the tokenizer / preprocessor / generation files
 * of the source checkpoint.
 *
 * - Dense and unstructured-pruned (masked) models keep their config unchanged.
 * - A uniformly compacted model (same heads with `head_dim = hidden / heads`, same MLP width in every
 *   layer of a tower; layers may be dropped; BLIP: cross-attention full width too, and a VQA model's
 *   text encoder and decoder alike, as one `text_config` describes both) gets a stock config with
 *   updated `num_hidden_layers`, `num_attention_heads`, `intermediate_size` and weights renumbered
 *   0..n-1: transformers loads it.
 * - Any other compacted geometry is recorded in config.json's `vlp_layer_shapes` field (see
 *   `vlp-layer-shapes.ts`), which `loadModel` honours.
 *
 * The directory appears all at once (written to a staging directory beside it, then renamed): a
 * failure leaves nothing behind. Throws `InvalidArgumentError` for a non-empty existing `dir` without
 * `{ overwrite: true }`, `IoError` naming the path when it cannot be written, `NotSupportedError` for a
 * geometry config.json cannot describe, `UnsupportedArchitectureError` for any other model.
 */
export async function saveModel(model: ClipModel | BlipModel, dir: string, options: SaveModelOptions = {}): Promise<SavedModel> {
  const plan = planCheckpoint(model);
  const tensors = new Map<string, SafetensorsTensorInput>();
  for (const name of model.params.names()) {
    const p = model.params.get(name);
    tensors.set(plan.weightName(name), { dtype: 'F32', shape: p.shape, data: p.data });
  }
  const sourceDir = options.sourceDir ?? model.sourceDir;
  let files: string[] = [];
  await writeDirectoryAtomically(dir, { overwrite: options.overwrite }, async (staging) => {
    await atomicWriteFile(path.join(staging, 'config.json'), configJson(plan.config));
    await writeSafetensors(path.join(staging, 'model.safetensors'), tensors, { format: 'pt' });
    const copied = sourceDir === undefined ? [] : await copySideFiles(sourceDir, staging);
    files = ['config.json', 'model.safetensors', ...copied];
  });
  return { dir: path.resolve(dir), files, geometry: plan.geometry };
}
