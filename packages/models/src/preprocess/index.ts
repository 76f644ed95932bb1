export { decodeImage, type DecodeImageOptions } from './decode-image.js';
export { createImageProcessor } from './image-processor.js';
export { loadImageProcessor, PREPROCESSOR_CONFIG_FILE } from './load-image-processor.js';
export { pilResize } from './pil-resample.js';
export { OPENAI_CLIP_MEAN, OPENAI_CLIP_STD, parseImageProcessorConfig } from './processor-config.js';
export type { ImageProcessor, ImageProcessorConfig, PixelValues, ResizeTarget, RgbImage } from './types.js';
