import { InvalidConfigError, NotSupportedError } from '@vlp/core';
import type { ImageProcessorConfig, ResizeTarget } from './types.js';

type Json = Record<string, unknown>;

/** OpenAI CLIP normalization constants (transformers' `OPENAI_CLIP_MEAN` / `OPENAI_CLIP_STD`), also BLIP's. */
export const OPENAI_CLIP_MEAN: [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
export const OPENAI_CLIP_STD: [number, number, number] = [0.26862954, 0.26130258, 0.27577711];

/** Which transformers class a config belongs to, decided by its type name (or the model type as a fallback). */
type Family = 'clip' | 'blip';

function familyOf(json: Json, modelType: string | undefined): { family: Family; name: string } {
  const name = String(json.image_processor_type ?? json.feature_extractor_type ?? json.processor_class ?? '');
  if (/^CLIP(ImageProcessor|FeatureExtractor|Processor)(Fast)?$/.test(name)) return { family: 'clip', name };
  if (/^Blip(ImageProcessor|Processor)(Fast)?$/.test(name)) return { family: 'blip', name };
  if (name === '' && modelType === 'clip') return { family: 'clip', name: 'CLIPImageProcessor' };
  if (name === '' && modelType === 'blip') return { family: 'blip', name: 'BlipImageProcessor' };
  throw new NotSupportedError({
    message:
      `Unsupported image processor "${name || '(none)'}": vlp reproduces CLIPImageProcessor and ` +
      'BlipImageProcessor. Set "image_processor_type" in preprocessor_config.json to one of them if the ' +
      'preprocessing is the same.',
    actual: name,
    expected: ['CLIPImageProcessor', 'BlipImageProcessor'],
  });
}

function positiveInt(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidConfigError({
      message: `preprocessor_config.json: ${field} must be a positive integer, got ${JSON.stringify(value)}.`,
      issues: [{ message: 'expected a positive integer', path: field.split('.') }],
    });
  }
  return value;
}

/** transformers' `get_size_dict`: an int is a square (`default_to_square`) or a shortest edge; a pair is (h, w). */
function sizeDict(value: unknown, defaultToSquare: boolean, field: string): ResizeTarget {
  if (typeof value === 'number') {
    const n = positiveInt(value, field);
    return defaultToSquare ? { height: n, width: n } : { shortestEdge: n };
  }
  if (Array.isArray(value) && value.length === 2) {
    return { height: positiveInt(value[0], `${field}.0`), width: positiveInt(value[1], `${field}.1`) };
  }
  const dict = (value ?? {}) as Json;
  if ('height' in dict && 'width' in dict) {
    return { height: positiveInt(dict.height, `${field}.height`), width: positiveInt(dict.width, `${field}.width`) };
  }
  if ('shortest_edge' in dict) return { shortestEdge: positiveInt(dict.shortest_edge, `${field}.shortest_edge`) };
  throw new InvalidConfigError({
    message: `preprocessor_config.json: ${field} must be {"shortest_edge": n} or {"height": h, "width": w}.`,
    issues: [{ message: 'unrecognised size', path: [field] }],
  });
}

function triple(value: unknown, fallback: [number, number, number], field: string): [number, number, number] {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number') return [value, value, value];
  if (Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'number')) {
    return value as [number, number, number];
  }
  throw new InvalidConfigError({
    message: `preprocessor_config.json: ${field} must be a number or 3 numbers (one per RGB channel).`,
    issues: [{ message: 'expected 3 numbers', path: [field] }],
  });
}

function needsHeightWidth(field: string, processor: string): InvalidConfigError {
  return new InvalidConfigError({
    message: `preprocessor_config.json: ${processor} needs ${field} as {"height": h, "width": w}.`,
    issues: [{ message: 'expected height and width', path: [field] }],
  });
}

const flag = (value: unknown, fallback: boolean): boolean => (typeof value === 'boolean' ? value : fallback);

/**
 * Parses a `preprocessor_config.json` object, filling the defaults of transformers v4.36 `CLIPImageProcessor`
 * (resize shortest edge 224, bicubic, center crop 224, rescale 1/255, OpenAI mean/std, convert RGB) or
 * `BlipImageProcessor` (resize 384×384, bicubic, no crop, rescale 1/255, OpenAI mean/std, convert RGB).
 * `modelType` (`config.json`'s `model_type`) picks the class when the file names none.
 */
export function parseImageProcessorConfig(json: Json, modelType?: string): ImageProcessorConfig {
  const { family, name } = familyOf(json, modelType);
  const clip = family === 'clip';
  const size = sizeDict(json.size ?? (clip ? { shortest_edge: 224 } : { height: 384, width: 384 }), !clip, 'size');
  if (!clip && !('height' in size)) throw needsHeightWidth('size', name);
  const crop = sizeDict(json.crop_size ?? { height: 224, width: 224 }, true, 'crop_size');
  if (clip && !('height' in crop)) throw needsHeightWidth('crop_size', name);
  const resample = json.resample ?? 3;
  if (typeof resample !== 'number' || !Number.isInteger(resample) || resample < 0 || resample > 5) {
    throw new InvalidConfigError({
      message: `preprocessor_config.json: resample must be a PIL filter id 0..5, got ${JSON.stringify(resample)}.`,
      issues: [{ message: 'expected 0..5', path: ['resample'] }],
    });
  }
  const rescaleFactor = json.rescale_factor ?? 1 / 255;
  if (typeof rescaleFactor !== 'number') {
    throw new InvalidConfigError({
      message: 'preprocessor_config.json: rescale_factor must be a number.',
      issues: [{ message: 'expected a number', path: ['rescale_factor'] }],
    });
  }
  return {
    processorType: name,
    doConvertRgb: flag(json.do_convert_rgb, true),
    doResize: flag(json.do_resize, true),
    size,
    resample,
    doCenterCrop: clip && flag(json.do_center_crop, true),
    cropSize: 'height' in crop ? crop : { height: 224, width: 224 },
    doRescale: flag(json.do_rescale, true),
    rescaleFactor,
    doNormalize: flag(json.do_normalize, true),
    imageMean: triple(json.image_mean, OPENAI_CLIP_MEAN, 'image_mean'),
    imageStd: triple(json.image_std, OPENAI_CLIP_STD, 'image_std'),
  };
}
