/**
 * Test helper: the three tiny BLIP fixtures, loaded with their reference inputs as view batches.
 */
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { loadModel } from '../load-model.js';
import { HF_FIXTURES, readReference } from './fixtures.js';
import type { BlipForConditionalGeneration } from '../blip/blip-caption-model.js';
import type { BlipForImageTextRetrieval } from '../blip/blip-retrieval-model.js';
import type { BlipCaptionBatch, BlipRetrievalBatch, BlipVqaBatch } from '../blip/blip-view-batch.js';
import type { BlipForQuestionAnswering } from '../blip/blip-vqa-model.js';
import type { BlipModel } from '../blip/load-blip.js';

/** Fixture directory of each BLIP task. */
export const BLIP_FIXTURE_DIRS = {
  retrieval: path.join(HF_FIXTURES, 'blip-itm-tiny'),
  captioning: path.join(HF_FIXTURES, 'blip-caption-tiny'),
  vqa: path.join(HF_FIXTURES, 'blip-vqa-tiny'),
} as const;

/** The main output of each task's view forward. */
export const BLIP_MAIN_OUTPUT = { retrieval: 'itm_score', captioning: 'logits', vqa: 'answer_logits' } as const;

/** `loadModel`, checked to be the BLIP head class of `task`. */
export async function loadBlipFixture(task: 'retrieval'): Promise<BlipForImageTextRetrieval>;
export async function loadBlipFixture(task: 'captioning'): Promise<BlipForConditionalGeneration>;
export async function loadBlipFixture(task: 'vqa'): Promise<BlipForQuestionAnswering>;
export async function loadBlipFixture(task: keyof typeof BLIP_FIXTURE_DIRS): Promise<BlipModel>;
export async function loadBlipFixture(task: keyof typeof BLIP_FIXTURE_DIRS): Promise<BlipModel> {
  return loadBlipDir(BLIP_FIXTURE_DIRS[task], task);
}

/** `loadModel(dir)`, checked to be the BLIP head class of `task`. */
export async function loadBlipDir(dir: string, task: keyof typeof BLIP_FIXTURE_DIRS): Promise<BlipModel> {
  const model = await loadModel(dir);
  if (model.architecture !== 'blip' || model.task !== task) throw new Error(`${dir} is not a BLIP ${task} checkpoint.`);
  return model;
}

/** The reference inputs of a fixture as its view batch (tensors to dispose with `inputs`). */
export interface FixtureBatch {
  readonly inputs: Map<string, tf.Tensor>;
  readonly batch: BlipRetrievalBatch & BlipCaptionBatch & Partial<BlipVqaBatch>;
}

/** Reads `reference/inputs.safetensors` of the fixture of `task`. */
export async function fixtureBatch(task: keyof typeof BLIP_FIXTURE_DIRS): Promise<FixtureBatch> {
  const inputs = await readReference(path.join(BLIP_FIXTURE_DIRS[task], 'reference/inputs.safetensors'));
  const get = (name: string) => inputs.get(name) as tf.Tensor;
  const batch = {
    pixelValues: get('pixel_values'),
    inputIds: get('input_ids'),
    attentionMask: get('attention_mask'),
    ...(task === 'vqa' ? { decoderInputIds: get('decoder_input_ids'), decoderAttentionMask: get('decoder_attention_mask') } : {}),
  };
  return { inputs, batch };
}
