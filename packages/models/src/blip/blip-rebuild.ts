import type { StoredParam } from '../weights/param-store.js';
import { ParamStore } from '../weights/param-store.js';
import type { BlipArch } from './blip-arch.js';
import { BlipForConditionalGeneration } from './blip-caption-model.js';
import { BlipForImageTextRetrieval } from './blip-retrieval-model.js';
import { BlipForQuestionAnswering } from './blip-vqa-model.js';
import type { BlipModel } from './load-blip.js';

/**
 * A new model of `model`'s head class with another geometry and parameters (same config, ONNX
 * options, source directory, tokenizer and image processor). `model` is left unchanged.
 */
export function rebuildBlip<M extends BlipModel>(model: M, arch: BlipArch, params: ReadonlyMap<string, StoredParam>): M {
  const args = [model.config, arch, new ParamStore(params), model.runner.onnxOptions, model.sourceDir] as const;
  const rebuilt: BlipModel =
    model.task === 'retrieval'
      ? new BlipForImageTextRetrieval(...args)
      : model.task === 'captioning'
        ? new BlipForConditionalGeneration(...args)
        : new BlipForQuestionAnswering(...args);
  if (model.tokenizer) rebuilt.tokenizer = model.tokenizer;
  if (model.imageProcessor) rebuilt.imageProcessor = model.imageProcessor;
  return rebuilt as M;
}
