import { InvalidArgumentError } from '@vlp/core';
import { toRgb } from './convert-rgb.js';
import { type Cropped, centerCrop, resizeOutputSize } from './geometry.js';
import { toChannelsFirst } from './normalize.js';
import { pilResize } from './pil-resample.js';
import type { ImageProcessor, ImageProcessorConfig, PixelValues, RgbImage } from './types.js';

/** One image through convert → resize → center crop, as 8-bit RGB. */
function resizeAndCrop(image: RgbImage, index: number, config: ImageProcessorConfig): Cropped {
  // `do_convert_rgb: false` still needs 3 channels for the model; RGBA → RGB is the only conversion either way.
  let data = toRgb(image, index);
  let { height, width } = image;
  if (config.doResize) {
    const [outHeight, outWidth] = resizeOutputSize(height, width, config.size);
    data = pilResize(data, width, height, 3, outWidth, outHeight, config.resample);
    [height, width] = [outHeight, outWidth];
  }
  if (config.doCenterCrop) {
    const cropped = centerCrop(data, height, width, 3, config.cropSize.height, config.cropSize.width);
    ({ data, height, width } = cropped);
  }
  return { data, height, width };
}

/**
 * Builds an image processor that computes what transformers v4.36 `CLIPImageProcessor` / `BlipImageProcessor`
 * compute on uint8 RGB input: PIL-exact resize (bicubic by default), center crop (CLIP), rescale, normalize,
 * channels-first float32.
 */
export function createImageProcessor(config: ImageProcessorConfig): ImageProcessor {
  const frozen = Object.freeze({ ...config });
  return {
    config: frozen,
    preprocess(images: readonly RgbImage[]): PixelValues {
      if (!Array.isArray(images) || images.length === 0) {
        throw new InvalidArgumentError({ message: 'preprocess() takes a non-empty array of images.' });
      }
      const processed = images.map((image, i) => resizeAndCrop(image, i, frozen));
      const { height, width } = processed[0];
      const mismatch = processed.findIndex((p) => p.height !== height || p.width !== width);
      if (mismatch >= 0) {
        throw new InvalidArgumentError({
          message:
            `images[${mismatch}] preprocesses to ${processed[mismatch].height}×${processed[mismatch].width} but ` +
            `images[0] to ${height}×${width}; without a center crop, a shortest-edge resize keeps each aspect ` +
            'ratio, so batch images of the same shape (or preprocess them one at a time).',
        });
      }
      const plane = 3 * height * width;
      const pixelValues = new Float32Array(images.length * plane);
      const options = {
        doRescale: frozen.doRescale,
        rescaleFactor: frozen.rescaleFactor,
        doNormalize: frozen.doNormalize,
        mean: frozen.imageMean,
        std: frozen.imageStd,
      };
      processed.forEach((p, i) => toChannelsFirst(p.data, height, width, options, pixelValues, i * plane));
      return { pixelValues, shape: [images.length, 3, height, width] };
    },
  };
}
