import { InvalidArgumentError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { insideShape } from './shape-geometry.js';
import { renderScene } from './render.js';
import type { SceneObject } from './types.js';
import { BACKGROUND_RGB, COLOUR_RGB, HALF_EXTENT, SCENE_EXTENT, SHAPES } from './vocabulary.js';

const object = (over: Partial<SceneObject> = {}): SceneObject => ({ shape: 'circle', colour: 'red', size: 'large', position: 'center', x: 180, y: 180, ...over });

function pixel(image: { width: number; data: Uint8Array }, x: number, y: number): number[] {
  const o = (y * image.width + x) * 3;
  return [image.data[o], image.data[o + 1], image.data[o + 2]];
}

/** Centroid (in pixels) of the pixels that differ from the background, weighted by coverage. */
function centroid(image: { width: number; height: number; data: Uint8Array }): [number, number] {
  let sx = 0;
  let sy = 0;
  let w = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const d = Math.abs(pixel(image, x, y)[0] - BACKGROUND_RGB[0]) + Math.abs(pixel(image, x, y)[1] - BACKGROUND_RGB[1]) + Math.abs(pixel(image, x, y)[2] - BACKGROUND_RGB[2]);
      sx += d * (x + 0.5);
      sy += d * (y + 0.5);
      w += d;
    }
  }
  return [sx / w, sy / w];
}

describe('shapes-vl', () => {
  describe('insideShape', () => {
    it('contains the centre of every filled shape and excludes the ring hole and the box corners', () => {
      for (const shape of SHAPES) {
        expect(insideShape(shape, 0.99, 0.99), shape).toBe(false);
        expect(insideShape(shape, -0.99, -0.99), shape).toBe(false);
        if (shape !== 'ring') expect(insideShape(shape, 0, 0.05), shape).toBe(true);
      }
      expect(insideShape('ring', 0, 0)).toBe(false);
      expect(insideShape('ring', 0.8, 0)).toBe(true);
      expect(insideShape('star', 0, -0.9)).toBe(true);
      expect(insideShape('star', 0.5, -0.6)).toBe(false);
      expect(insideShape('cross', 0.6, 0.6)).toBe(false);
      expect(insideShape('heart', 0, -0.7)).toBe(false);
      expect(insideShape('heart', -0.5, -0.5)).toBe(true);
    });
  });

  describe('renderScene', () => {
    it('draws the background and a solid, anti-aliased object at its position', () => {
      const image = renderScene({ objects: [object()] }, 64);
      expect(image.width).toBe(64);
      expect(image.height).toBe(64);
      expect(image.data.length).toBe(64 * 64 * 3);
      expect(pixel(image, 0, 0)).toEqual([...BACKGROUND_RGB]);
      expect(pixel(image, 32, 32)).toEqual([...COLOUR_RGB.red]);
      // edge pixels blend: some red values strictly between background and red
      const reds = new Set<number>();
      for (let p = 0; p < 64 * 64; p++) reds.add(image.data[p * 3]);
      expect([...reds].some((v) => v > BACKGROUND_RGB[0] && v < COLOUR_RGB.red[0])).toBe(true);
    });

    it('covers about the analytic area of a circle', () => {
      const size = 128;
      const image = renderScene({ objects: [object()] }, size);
      let coverage = 0;
      for (let p = 0; p < size * size; p++) coverage += (image.data[p * 3] - BACKGROUND_RGB[0]) / (COLOUR_RGB.red[0] - BACKGROUND_RGB[0]);
      const radiusPx = (HALF_EXTENT.large * size) / SCENE_EXTENT;
      expect(coverage / (Math.PI * radiusPx * radiusPx)).toBeCloseTo(1, 1);
    });

    it('puts every shape where its x, y say, at every resolution', () => {
      for (const size of [32, 64, 224]) {
        for (const [shape, x, y] of [['circle', 60, 300], ['square', 300, 60], ['cross', 180, 180], ['diamond', 250, 110]] as const) {
          const [cx, cy] = centroid(renderScene({ objects: [object({ shape, x, y, size: 'small' })] }, size));
          expect(Math.abs(cx - (x * size) / SCENE_EXTENT)).toBeLessThan(0.6);
          expect(Math.abs(cy - (y * size) / SCENE_EXTENT)).toBeLessThan(0.6);
        }
      }
    });

    it('draws eight different silhouettes', () => {
      const masks = SHAPES.map((shape) => {
        const image = renderScene({ objects: [object({ shape })] }, 48);
        return Array.from({ length: 48 * 48 }, (_, p) => image.data[p * 3]).join(',');
      });
      expect(new Set(masks).size).toBe(SHAPES.length);
    });

    it('is deterministic and clips objects at the border', () => {
      const scene = { objects: [object({ x: 5, y: 355, shape: 'star' }), object({ colour: 'blue', size: 'small', x: 200, y: 40 })] };
      expect(renderScene(scene, 50).data).toEqual(renderScene(scene, 50).data);
    });

    it('rejects bad sizes and objects with InvalidArgumentError', () => {
      for (const size of [0, 15, 64.5, 4096, Number.NaN]) expect(() => renderScene({ objects: [] }, size)).toThrow(InvalidArgumentError);
      expect(() => renderScene({ objects: [object({ shape: 'blob' as never })] })).toThrow(/objects\[0\]/);
    });
  });
});
