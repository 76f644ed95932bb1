/** Public types of image decoding and preprocessing. */

/** An 8-bit image in memory: row-major pixels, RGB (3 bytes per pixel) or RGBA (4 bytes per pixel). */
export interface RgbImage {
  width: number;
  height: number;
  /** `width × height × channels` bytes, row-major, channel-interleaved. */
  data: Uint8Array;
  /** 3 (RGB) or 4 (RGBA); inferred from `data.length` when omitted. Alpha is dropped by preprocessing. */
  channels?: 3 | 4;
}

/** A target size: the shortest edge (aspect ratio kept) or an exact height × width. */
export type ResizeTarget = { shortestEdge: number } | { height: number; width: number };

/**
 * A parsed `preprocessor_config.json` with every default filled in (transformers v4.36 `CLIPImageProcessor` /
 * `BlipImageProcessor`).
 */
export interface ImageProcessorConfig {
  /** `image_processor_type` (or legacy `feature_extractor_type`), e.g. `CLIPImageProcessor`. */
  processorType: string;
  doConvertRgb: boolean;
  doResize: boolean;
  size: ResizeTarget;
  /** PIL resampling filter: 0 nearest, 1 Lanczos, 2 bilinear, 3 bicubic, 4 box, 5 Hamming. */
  resample: number;
  doCenterCrop: boolean;
  cropSize: { height: number; width: number };
  doRescale: boolean;
  rescaleFactor: number;
  doNormalize: boolean;
  imageMean: [number, number, number];
  imageStd: [number, number, number];
}

/** A batch of preprocessed images, channels-first, ready for the vision tower. */
export interface PixelValues {
  /** `n × 3 × height × width` float32 values, row-major. */
  pixelValues: Float32Array;
  shape: [number, number, number, number];
}

/** An image processor built from a `preprocessor_config.json`. */
export interface ImageProcessor {
  readonly config: Readonly<ImageProcessorConfig>;
  /** Converts, resizes, crops, rescales and normalizes each image like transformers; all outputs share one shape. */
  preprocess(images: readonly RgbImage[]): PixelValues;
}
