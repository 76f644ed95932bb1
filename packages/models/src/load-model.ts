import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, ModelFileNotFoundError, UnsupportedArchitectureError } from '@vlp/core';
import { clipArchFromConfig } from './clip/clip-arch.js';
import { parseClipConfig } from './clip/clip-config.js';
import { ClipModel } from './clip/clip-model.js';
import { expectedClipParams } from './clip/clip-params.js';
import { type BlipModel, isBlipArchitecture, loadBlip } from './blip/load-blip.js';
import type { OnnxEngineOptions } from './engine/onnx-engine.js';
import { loadParams } from './weights/load-params.js';
import { loadImageProcessor, PREPROCESSOR_CONFIG_FILE } from './preprocess/load-image-processor.js';
import type { ImageProcessor } from './preprocess/types.js';
import { loadTokenizer } from './tokenizer/load-tokenizer.js';
import type { VlpTokenizer } from './tokenizer/types.js';

/** Architectures `loadModel` dispatches on (`architectures[0]` in config.json). */
export const SUPPORTED_ARCHITECTURES = ['CLIPModel', 'BlipForImageTextRetrieval', 'BlipForConditionalGeneration', 'BlipForQuestionAnswering'] as const;

export interface LoadModelOptions {
  /** ONNX Runtime options (threads, providers) for forward work. */
  readonly onnx?: OnnxEngineOptions;
}

const TOKENIZER_FILES = ['tokenizer.json', 'vocab.json', 'vocab.txt'];

/** Attaches the tokenizer and image processor when their files exist (a weights-only dir is fine). */
async function attachProcessors(model: { tokenizer?: VlpTokenizer; imageProcessor?: ImageProcessor }, dir: string): Promise<void> {
  if (TOKENIZER_FILES.some((f) => existsSync(path.join(dir, f)))) model.tokenizer = await loadTokenizer(dir);
  if (existsSync(path.join(dir, PREPROCESSOR_CONFIG_FILE))) model.imageProcessor = await loadImageProcessor(dir);
}

/** Reads and parses `config.json` of a model directory. */
export function readModelConfig(dir: string): Record<string, unknown> {
  const file = path.join(dir, 'config.json');
  if (!existsSync(file)) {
    throw new ModelFileNotFoundError({
      message: `No config.json in ${path.resolve(dir)}. A model directory needs config.json and model.safetensors (as written by save_pretrained / saveModel).`,
      path: path.resolve(dir),
      expected: ['config.json', 'model.safetensors'],
    });
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new InvalidArgumentError({ message: `${path.resolve(file)} is not valid JSON: ${(cause as Error).message}`, path: path.resolve(file), cause });
  }
}

/**
 * Loads a Hugging Face checkpoint directory (config.json + model.safetensors or shards) and
 * dispatches on `architectures`. Weights are checked against the config: every missing,
 * unexpected or mis-shaped tensor is reported by name.
 */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<ClipModel | BlipModel> {
  if (!existsSync(dir)) {
    throw new ModelFileNotFoundError({ message: `Model directory ${path.resolve(dir)} does not exist.`, path: path.resolve(dir), expected: ['config.json'] });
  }
  const raw = readModelConfig(dir);
  const architecture = Array.isArray(raw.architectures) ? String(raw.architectures[0]) : String(raw.model_type ?? 'unknown');
  if (architecture === 'CLIPModel') {
    const config = parseClipConfig(raw);
    const arch = clipArchFromConfig(config);
    const params = await loadParams(dir, expectedClipParams(config, arch));
    const model = new ClipModel(config, arch, params, options.onnx, path.resolve(dir));
    await attachProcessors(model, dir);
    return model;
  }
  if (isBlipArchitecture(architecture)) {
    const model = await loadBlip(dir, raw, architecture, options.onnx);
    await attachProcessors(model, dir);
    return model;
  }
  throw new UnsupportedArchitectureError({
    message: `${path.resolve(dir)}: architecture "${architecture}" is not supported. Supported: ${SUPPORTED_ARCHITECTURES.join(', ')}.`,
    path: path.resolve(dir),
    actual: architecture,
    expected: SUPPORTED_ARCHITECTURES,
  });
}
