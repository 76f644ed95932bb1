import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, IoError, ModelFileNotFoundError } from '@vlp/core';
import { createImageProcessor } from './image-processor.js';
import { parseImageProcessorConfig } from './processor-config.js';
import type { ImageProcessor } from './types.js';

/** The file `save_pretrained` writes for image processors. */
export const PREPROCESSOR_CONFIG_FILE = 'preprocessor_config.json';

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new IoError({ message: `Cannot read ${file}: ${(error as Error).message}`, path: file, cause: error });
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidArgumentError({
      message: `${file} is not valid JSON (${(error as Error).message}); restore it from the original checkpoint.`,
      path: file,
      cause: error,
    });
  }
}

/**
 * Loads the image processor of a Hugging Face checkpoint directory from its `preprocessor_config.json`
 * (`CLIPImageProcessor` or `BlipImageProcessor`; `config.json`'s `model_type` decides when the file names no class).
 *
 * @throws ModelFileNotFoundError (`VLP_MODEL_FILE_NOT_FOUND`) when `preprocessor_config.json` is missing.
 * @throws InvalidConfigError / NotSupportedError for an invalid or unsupported configuration.
 */
export async function loadImageProcessor(dir: string): Promise<ImageProcessor> {
  const file = path.join(dir, PREPROCESSOR_CONFIG_FILE);
  const json = await readJson(file);
  if (json === undefined) {
    throw new ModelFileNotFoundError({
      message:
        `No ${PREPROCESSOR_CONFIG_FILE} in ${dir}: it is needed to preprocess images (size, crop, mean/std). ` +
        'Copy it from the original checkpoint (save_pretrained writes it).',
      path: dir,
      expected: [PREPROCESSOR_CONFIG_FILE],
    });
  }
  const modelConfig = await readJson(path.join(dir, 'config.json'));
  const modelType = typeof modelConfig?.model_type === 'string' ? modelConfig.model_type : undefined;
  return createImageProcessor(parseImageProcessorConfig(json, modelType));
}
