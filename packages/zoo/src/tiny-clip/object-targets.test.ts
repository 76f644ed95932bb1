import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend, VlpError } from '@vlp/core';
import { COLOUR_RGB, type SceneObject, shapesVLSample } from '@vlp/data';
import { disposeObjectTargets, OBJECT_TARGET_LOGITS, objectTargets, patchUnder } from './object-targets.js';

const obj = (o: Partial<SceneObject> & Pick<SceneObject, 'x' | 'y'>): SceneObject => ({ shape: 'circle', colour: 'red', size: 'large', position: 'center', ...o });

describe('objectTargets', () => {
  beforeAll(async () => void (await initBackend()));

  it('finds the patch under a scene point (row-major, clamped at the far edge)', () => {
    expect(patchUnder(0, 0, 8)).toBe(0);
    expect(patchUnder(44, 0, 8)).toBe(0); // 45 units = one patch of 8 at 360
    expect(patchUnder(45, 0, 8)).toBe(1);
    expect(patchUnder(0, 45, 8)).toBe(8);
    expect(patchUnder(180, 180, 8)).toBe(4 * 8 + 4);
    expect(patchUnder(360, 360, 8)).toBe(63);
    expect(patchUnder(359, 100, 4)).toBe(1 * 4 + 3);
  });

  it('indexes each object\'s centre token in the flattened batch and its attribute classes', () => {
    const scenes = [
      [obj({ x: 60, y: 300, shape: 'star', colour: 'blue', size: 'large', position: 'bottom left' })],
      [obj({ x: 180, y: 60, shape: 'ring', colour: 'pink', size: 'small', position: 'top' }), obj({ x: 300, y: 180, shape: 'heart', colour: 'orange', size: 'large', position: 'right' })],
    ];
    const before = tf.memory().numTensors;
    const t = objectTargets(scenes, 8);
    // 65 tokens per image (class token + 64 patches); patch (row 6, col 1) = 49; image 1: (1, 4) = 12, (4, 6) = 38.
    expect(t.token.arraySync()).toEqual([1 + 49, 65 + 1 + 12, 65 + 1 + 38]);
    expect(t.colour.arraySync()).toEqual([5, 7, 1]);
    expect(t.shape.arraySync()).toEqual([3, 5, 7]);
    expect(t.size.arraySync()).toEqual([1, 0, 1]);
    expect(t.cell.arraySync()).toEqual([6, 1, 5]);
    disposeObjectTargets(t);
    expect(tf.memory().numTensors).toBe(before);
    expect(OBJECT_TARGET_LOGITS).toBe(27);
  });

  it('agrees with the rendered image: the pixel at the object\'s centre lies in its patch and has its colour', () => {
    let checked = 0;
    for (let i = 0; i < 40; i++) {
      const s = shapesVLSample(0, 'train', i);
      const last = s.objects[s.objects.length - 1] as SceneObject; // drawn last: nothing covers it
      if (last.shape === 'ring') continue; // hollow at the centre
      const t = objectTargets([s.objects], 8);
      const patch = (t.token.arraySync()[s.objects.length - 1] as number) - 1;
      disposeObjectTargets(t);
      const [px, py] = [Math.floor((last.x / 360) * 64), Math.floor((last.y / 360) * 64)];
      expect([Math.floor(py / 8), Math.floor(px / 8)]).toEqual([Math.floor(patch / 8), patch % 8]);
      const k = (py * 64 + px) * 3;
      expect([s.image.data[k], s.image.data[k + 1], s.image.data[k + 2]]).toEqual([...COLOUR_RGB[last.colour]]);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('rejects a grid that is not a positive integer', () => {
    expect(() => objectTargets([], 0)).toThrow(VlpError);
    expect(() => objectTargets([], 2.5)).toThrow(/positive integer/);
  });
});
