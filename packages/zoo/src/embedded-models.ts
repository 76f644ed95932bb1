import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '@vlp/core';
import {
  type BlipForConditionalGeneration,
  type BlipForImageTextRetrieval,
  type BlipForQuestionAnswering,
  type ClipModel,
  type LoadModelOptions,
  loadModel,
} from '@vlp/models';

/** The checkpoints shipped in this package, by name. */
export const EMBEDDED_MODELS = ['tiny-clip', 'tiny-blip-itm', 'tiny-blip-caption', 'tiny-blip-vqa'] as const;
/** The name of an embedded checkpoint. */
export type EmbeddedModelName = (typeof EMBEDDED_MODELS)[number];

/** The model class each embedded checkpoint loads as. */
export interface EmbeddedModelTypes {
  'tiny-clip': ClipModel;
  'tiny-blip-itm': BlipForImageTextRetrieval;
  'tiny-blip-caption': BlipForConditionalGeneration;
  'tiny-blip-vqa': BlipForQuestionAnswering;
}

/**
 * Thrown for a name that is not in {@link EMBEDDED_MODELS}: code `VLP_INVALID_ARGUMENT`, with the
 * known names in `expected`.
 */
export class UnknownEmbeddedModelError extends InvalidArgumentError {
  constructor(name: string) {
    super({
      message: `No embedded model named ${JSON.stringify(name)} in @vlp/zoo; the embedded models are: ${EMBEDDED_MODELS.join(', ')}.`,
      actual: name,
      expected: [...EMBEDDED_MODELS],
    });
    this.name = 'UnknownEmbeddedModelError';
  }
}

/** True when `name` is the name of an embedded checkpoint. */
export function isEmbeddedModelName(name: string): name is EmbeddedModelName {
  return (EMBEDDED_MODELS as readonly string[]).includes(name);
}

// This file sits directly in src/ and is bundled directly into dist/, so the package root is one
// level up from both.
const CHECKPOINTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'checkpoints');

/**
 * The directory of an embedded checkpoint (Hugging Face layout: config.json, model.safetensors,
 * tokenizer and preprocessor files), inside the installed package.
 *
 * @throws UnknownEmbeddedModelError for an unknown name.
 */
export function embeddedModelDir(name: EmbeddedModelName | (string & {})): string {
  if (!isEmbeddedModelName(name)) throw new UnknownEmbeddedModelError(name);
  return path.join(CHECKPOINTS, name);
}

/**
 * Loads an embedded checkpoint through `loadModel` (tokenizer and image processor included).
 *
 * @example
 * const model = await loadEmbeddedModel('tiny-clip');   // a ClipModel trained on Shapes-VL
 * const vqa = await loadEmbeddedModel('tiny-blip-vqa');  // a BlipForQuestionAnswering
 * @throws UnknownEmbeddedModelError for an unknown name; whatever `loadModel` throws otherwise.
 */
export async function loadEmbeddedModel<N extends EmbeddedModelName>(name: N, options?: LoadModelOptions): Promise<EmbeddedModelTypes[N]>;
export async function loadEmbeddedModel(name: string, options?: LoadModelOptions): Promise<EmbeddedModelTypes[EmbeddedModelName]>;
export async function loadEmbeddedModel(name: string, options: LoadModelOptions = {}): Promise<EmbeddedModelTypes[EmbeddedModelName]> {
  const dir = embeddedModelDir(name);
  return (await loadModel(dir, options)) as EmbeddedModelTypes[EmbeddedModelName];
}
