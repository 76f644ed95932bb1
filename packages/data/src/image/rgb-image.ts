/** An 8-bit RGB raster, row-major, 3 bytes per pixel, no padding (`data.length = width · height · 3`). */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}
