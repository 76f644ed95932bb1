import path from 'node:path';
import type { OnnxEngineOptions } from '../engine/onnx-engine.js';
import { loadParams } from '../weights/load-params.js';
import { blipArchFromConfig } from './blip-arch.js';
import { BlipForConditionalGeneration } from './blip-caption-model.js';
import { type BlipArchitecture, parseBlipConfig } from './blip-config.js';
import { BLIP_PARAM_ALIASES, expectedBlipParams } from './blip-params.js';
import { BlipForImageTextRetrieval } from './blip-retrieval-model.js';
import { BlipForQuestionAnswering } from './blip-vqa-model.js';

/** Any loaded BLIP head class. */
export type BlipModel = BlipForImageTextRetrieval | BlipForConditionalGeneration | BlipForQuestionAnswering;

/** The BLIP head classes `loadModel` dispatches on. */
export const BLIP_ARCHITECTURES: readonly BlipArchitecture[] = ['BlipForImageTextRetrieval', 'BlipForConditionalGeneration', 'BlipForQuestionAnswering'];

/** True when `architecture` names a BLIP head class. */
export function isBlipArchitecture(architecture: string): architecture is BlipArchitecture {
  return (BLIP_ARCHITECTURES as readonly string[]).includes(architecture);
}

/**
 * Builds the BLIP head class of `raw` (a parsed config.json) from the weights in `dir`, checking
 * every tensor against the config (missing, unexpected, mis-shaped are reported by name).
 */
export async function loadBlip(dir: string, raw: Record<string, unknown>, architecture: BlipArchitecture, onnx?: OnnxEngineOptions): Promise<BlipModel> {
  const config = parseBlipConfig(raw, architecture);
  const arch = blipArchFromConfig(config);
  const params = await loadParams(dir, expectedBlipParams(config, arch), BLIP_PARAM_ALIASES);
  const source = path.resolve(dir);
  switch (architecture) {
    case 'BlipForImageTextRetrieval':
      return new BlipForImageTextRetrieval(config, arch, params, onnx, source);
    case 'BlipForConditionalGeneration':
      return new BlipForConditionalGeneration(config, arch, params, onnx, source);
    case 'BlipForQuestionAnswering':
      return new BlipForQuestionAnswering(config, arch, params, onnx, source);
  }
}
