import { InvalidArgumentError } from '@vlp/core';
import type { RgbImage } from '../image/rgb-image.js';
import { insideTest } from './shape-geometry.js';
import type { Scene, SceneObject } from './types.js';
import { BACKGROUND_RGB, COLOUR_RGB, COLOURS, HALF_EXTENT, SCENE_EXTENT, SHAPES, SIZES } from './vocabulary.js';

/** Smallest and largest resolution {@link renderScene} accepts. */
export const MIN_IMAGE_SIZE = 16;
export const MAX_IMAGE_SIZE = 2048;

/** Subsamples per pixel along each axis (4 × 4 = 16 per pixel). */
const SUB = 4;
const SUB_COUNT = SUB * SUB;

/** Throws `InvalidArgumentError` unless `size` is an integer resolution in range. */
export function checkImageSize(size: unknown): asserts size is number {
  if (typeof size !== 'number' || !Number.isInteger(size) || size < MIN_IMAGE_SIZE || size > MAX_IMAGE_SIZE) {
    throw new InvalidArgumentError({
      message: `Shapes-VL image size must be an integer from ${MIN_IMAGE_SIZE} to ${MAX_IMAGE_SIZE} pixels (got ${String(size)}); use 64 for the tiny models, 224 or 384 for real-size CLIP/BLIP.`,
      expected: `integer in [${MIN_IMAGE_SIZE}, ${MAX_IMAGE_SIZE}]`,
      actual: size,
    });
  }
}

function checkObject(object: SceneObject, i: number): void {
  const ok =
    SHAPES.includes(object.shape) &&
    COLOURS.includes(object.colour) &&
    SIZES.includes(object.size) &&
    Number.isFinite(object.x) &&
    Number.isFinite(object.y);
  if (!ok) {
    throw new InvalidArgumentError({
      message: `renderScene(): objects[${i}] is not a valid Shapes-VL object (shape, colour, size from the vocabulary; finite x, y in scene units).`,
      actual: object,
    });
  }
}

/**
 * Renders a scene to a `size × size` RGB image, deterministically: the same scene and size give
 * byte-identical pixels on every machine and Node version.
 *
 * Anti-aliasing is by supersampling: each pixel is tested at 4 × 4 evenly spaced subsample points
 * (only `+ − × /` on doubles, see `shape-geometry.ts`), and an object covering `c` of the 16
 * subsamples blends its colour over what is below with integer arithmetic,
 * `out = (below · (16 − c) + colour · c + 8) >> 4`. Objects are drawn in order on the grey
 * background. Coordinates are scene units (0 … 360), so a scene looks the same at every resolution.
 *
 * @example
 * const { image } = shapesVLSample(0, 'test', 0);          // 64 × 64
 * const big = renderScene(shapesVLSample(0, 'test', 0), 224);
 */
export function renderScene(scene: Scene, size = 64): RgbImage {
  checkImageSize(size);
  const data = new Uint8Array(size * size * 3);
  for (let p = 0; p < size * size; p++) {
    data[p * 3] = BACKGROUND_RGB[0];
    data[p * 3 + 1] = BACKGROUND_RGB[1];
    data[p * 3 + 2] = BACKGROUND_RGB[2];
  }
  scene.objects.forEach((object, i) => {
    checkObject(object, i);
    drawObject(data, size, object);
  });
  return { width: size, height: size, data };
}

function drawObject(data: Uint8Array, size: number, object: SceneObject): void {
  const half = HALF_EXTENT[object.size];
  const [r, g, b] = COLOUR_RGB[object.colour];
  const unitsPerPixel = SCENE_EXTENT / size;
  const x0 = Math.max(0, Math.floor(((object.x - half) * size) / SCENE_EXTENT));
  const x1 = Math.min(size - 1, Math.floor(((object.x + half) * size) / SCENE_EXTENT));
  const y0 = Math.max(0, Math.floor(((object.y - half) * size) / SCENE_EXTENT));
  const y1 = Math.min(size - 1, Math.floor(((object.y + half) * size) / SCENE_EXTENT));
  const inside = insideTest(object.shape);
  // Local coordinates of the subsample columns and rows; subsample centres sit at (2s + 1) / 8 of
  // a pixel (exact binary fractions).
  const lxs = new Float64Array((x1 - x0 + 1) * SUB);
  for (let px = x0; px <= x1; px++) {
    for (let sx = 0; sx < SUB; sx++) lxs[(px - x0) * SUB + sx] = ((px + (2 * sx + 1) / (2 * SUB)) * unitsPerPixel - object.x) / half;
  }
  const lys = new Float64Array(SUB);
  for (let py = y0; py <= y1; py++) {
    for (let sy = 0; sy < SUB; sy++) lys[sy] = ((py + (2 * sy + 1) / (2 * SUB)) * unitsPerPixel - object.y) / half;
    for (let px = x0; px <= x1; px++) {
      let covered = 0;
      const base = (px - x0) * SUB;
      for (let sy = 0; sy < SUB; sy++) {
        const ly = lys[sy];
        for (let sx = 0; sx < SUB; sx++) if (inside(lxs[base + sx], ly)) covered++;
      }
      if (covered === 0) continue;
      const o = (py * size + px) * 3;
      const keep = SUB_COUNT - covered;
      data[o] = (data[o] * keep + r * covered + 8) >> 4;
      data[o + 1] = (data[o + 1] * keep + g * covered + 8) >> 4;
      data[o + 2] = (data[o + 2] * keep + b * covered + 8) >> 4;
    }
  }
}
