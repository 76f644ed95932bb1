import { InvalidArgumentError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../test-fixtures.js';
import { sceneSignature } from './ambiguity.js';
import { DEFAULT_SPLIT_COUNTS, generateShapesVL, iterateShapesVL, shapesVLAnnotations, shapesVLSample } from './generate.js';
import { SIGNATURE_SPACE } from './layout.js';
import type { ShapesVLSample } from './types.js';
import { COLOURS, HALF_EXTENT, JITTER, POSITIONS, SHAPES, positionCell, shapesVLClasses } from './vocabulary.js';

const annotationsJson = (s: ShapesVLSample) => {
  const { image: _image, ...rest } = s;
  return JSON.stringify(rest);
};

/**
 * GOLDEN hashes: sha256 of the RGB bytes and of the annotations JSON of fixed samples of seed 0.
 * Rendering and layout use only integer arithmetic and IEEE-754 `+ − × /` (correctly rounded),
 * so these must hold on every machine and Node version. A failure means the dataset changed:
 * change these only together with a changeset that says so.
 */
const GOLDEN: readonly (readonly ['train' | 'val' | 'test', number, number, string, string])[] = [
  ['test', 0, 64, 'e1219f2ff1896ab4d1b5f438c9831bd7e0dd54182ad3e52fb1ed8589055ed3a2', '236c59b9bb9f000e2c4ef2c1be997f8c305d3be05945789ef357b1a6594291b9'],
  ['test', 1, 64, '72f282d3e8214d2b4aea51126a6f25c8e29cb6ed697618099179b469f5e514c9', 'c4789af702ff0fd812b39afef5d5db57fe83622690895f5ac1bf57d0eb7ce2a5'],
  ['test', 2, 64, '870fd982ca8e28deb5a7f92036daed151fa6ab2fa9d1f6f789535d3d1f8e571c', '5a4359b38d11696f652d9b10074a86f6c9c349de06616b2b1cf64c4eba108257'],
  ['val', 3, 64, 'dd1bfc7a67103f76aa05f835fc27544c8d11e712f944493c2c58e45bf8a7fdc7', '3bdc645442d06bb43e6eb1e8e1b14ea246257783a15ae61a4c8b91c0ff09db11'],
  ['train', 0, 224, '7ce326c70e56be4de764e48e0378a23d884020b318a9795859588b6076d62df9', '3f66f3afcfeb62991da574ec51f1aff95b82d0149e6963421020f2312b7ce5c4'],
  ['train', 7, 384, '70e1c69865caf93a299319cf9b4e3eed3aa9eaea2c64fd84aa3dd9a13c6c2425', '17d36e50115311e1e6a5fe78bd8ba4eb1ad854ceccd2d7cce09dae339c1a7f12'],
];
/** sha256 of the annotations of the whole default test split (1 000 samples), one JSON per line. */
const GOLDEN_TEST_SPLIT = 'de30373d201f5dbd127cb9fef93b0e9b098e170eb917b1df28cc8999b7891e11';

describe('shapes-vl', () => {
  describe('golden hashes', () => {
    it.each(GOLDEN)('%s[%i] at %i px has the golden image and annotation bytes', (split, index, size, imageHash, annotationHash) => {
      const sample = shapesVLSample(0, split, index, size);
      expect(sample.image.data.length).toBe(size * size * 3);
      expect(sha256(sample.image.data)).toBe(imageHash);
      expect(sha256(annotationsJson(sample))).toBe(annotationHash);
    });

    it('the annotations of the default test split have the golden hash', () => {
      const lines = Array.from({ length: DEFAULT_SPLIT_COUNTS.test }, (_, i) => JSON.stringify(shapesVLAnnotations(0, 'test', i)));
      expect(sha256(lines.join('\n'))).toBe(GOLDEN_TEST_SPLIT);
    });
  });

  describe('shapesVLSample', () => {
    it('gives the same bytes for the same arguments and different scenes for other seeds', () => {
      const a = shapesVLSample(7, 'train', 123);
      const b = shapesVLSample(7, 'train', 123);
      expect(b).toEqual(a);
      expect(shapesVLSample('7', 'train', 123).image.data).not.toEqual(a.image.data);
      expect(shapesVLSample(8, 'train', 123).image.data).not.toEqual(a.image.data);
    });

    it('is what generateShapesVL and iterateShapesVL give at that index, whatever the other split sizes', () => {
      const small = generateShapesVL({ seed: 3, counts: { train: 5, val: 0, test: 12 } });
      const other = generateShapesVL({ seed: 3, counts: { train: 0, val: 4, test: 3 } });
      expect(small.splits.test[11]).toEqual(shapesVLSample(3, 'test', 11));
      expect(other.splits.test).toEqual(small.splits.test.slice(0, 3));
      expect([...iterateShapesVL({ seed: 3, split: 'train', start: 2, count: 3 })]).toEqual(small.splits.train.slice(2, 5));
      expect(small.splits.val).toEqual([]);
    });

    it('has ids unique across splits, five distinct captions, nine questions and the main object as label', () => {
      for (const split of ['train', 'val', 'test'] as const) {
        const s = shapesVLSample(0, split, 42);
        expect(s.id).toBe(`${split}-000042`);
        expect(s.imageId).toBe({ train: 42, val: 100_000_042, test: 200_000_042 }[split]);
        expect(new Set(s.captions).size).toBe(5);
        expect(s.questions).toHaveLength(9);
        expect(s.label.className).toBe(`${s.objects[0].colour} ${s.objects[0].shape}`);
        expect(shapesVLClasses()[s.label.classIndex]).toBe(s.label.className);
      }
    });

    it('rejects bad splits, indices, sizes and seeds with InvalidArgumentError', () => {
      expect(() => shapesVLSample(0, 'dev' as never, 0)).toThrow(InvalidArgumentError);
      expect(() => shapesVLSample(0, 'test', -1)).toThrow(/index/);
      expect(() => shapesVLSample(0, 'test', 1.5)).toThrow(InvalidArgumentError);
      expect(() => shapesVLSample(0, 'test', 100_000_000)).toThrow(InvalidArgumentError);
      expect(() => shapesVLSample(0, 'test', 0, 8)).toThrow(/size/);
      expect(() => shapesVLSample(0.5, 'test', 0)).toThrow(InvalidArgumentError);
      expect(() => generateShapesVL({ counts: { test: -1 } })).toThrow(/test count/);
      expect(() => [...iterateShapesVL({ split: 'test', count: 2, size: 3 })]).toThrow(InvalidArgumentError);
    });
  });

  describe('scenes', () => {
    const train = Array.from({ length: 3000 }, (_, i) => shapesVLAnnotations(0, 'train', i));
    const val = Array.from({ length: 600 }, (_, i) => shapesVLAnnotations(0, 'val', i));
    const test = Array.from({ length: 600 }, (_, i) => shapesVLAnnotations(0, 'test', i));

    it('never share a signature between splits, and val/test never repeat one', () => {
      const sig = (xs: typeof train) => xs.map((s) => sceneSignature(s.objects));
      const [tr, va, te] = [sig(train), sig(val), sig(test)];
      const trainSet = new Set(tr);
      expect(va.filter((s) => trainSet.has(s))).toEqual([]);
      expect(te.filter((s) => trainSet.has(s))).toEqual([]);
      expect(te.filter((s) => va.includes(s))).toEqual([]);
      expect(new Set(va).size).toBe(va.length);
      expect(new Set(te).size).toBe(te.length);
    });

    it('never share an image between splits (by content hash)', () => {
      const hashes = (split: 'train' | 'val' | 'test', n: number) => new Set(Array.from({ length: n }, (_, i) => sha256(shapesVLSample(0, split, i, 32).image.data)));
      const tr = hashes('train', 300);
      const va = hashes('val', 100);
      const te = hashes('test', 100);
      expect(tr.size + va.size + te.size).toBe(500);
      expect(new Set([...tr, ...va, ...te]).size).toBe(500);
    });

    it('use every shape, colour, size, position and object count, and 1–3 non-overlapping objects in their cells', () => {
      const objects = test.flatMap((s) => s.objects);
      expect(new Set(objects.map((o) => o.shape))).toEqual(new Set(SHAPES));
      expect(new Set(objects.map((o) => o.colour))).toEqual(new Set(COLOURS));
      expect(new Set(objects.map((o) => o.size))).toEqual(new Set(['small', 'large']));
      expect(new Set(objects.map((o) => o.position))).toEqual(new Set(POSITIONS));
      const counts = [1, 2, 3].map((k) => test.filter((s) => s.objects.length === k).length);
      expect(counts).toEqual([120, 240, 240]);
      for (const s of test) {
        expect(new Set(s.objects.map((o) => o.position)).size).toBe(s.objects.length);
        if (s.objects.length > 1) expect(s.objects.map((o) => o.size)).toEqual(['large', ...s.objects.slice(1).map(() => 'small')]);
        for (const o of s.objects) {
          const { row, col } = positionCell(o.position);
          expect(Math.abs(o.x - (col * 120 + 60))).toBeLessThanOrEqual(JITTER[o.size]);
          expect(Math.abs(o.y - (row * 120 + 60))).toBeLessThanOrEqual(JITTER[o.size]);
          expect(60 - HALF_EXTENT[o.size] - JITTER[o.size]).toBeGreaterThanOrEqual(4);
        }
      }
    });

    it('label the main objects roughly uniformly over the 64 classes', () => {
      const perClass = new Array<number>(64).fill(0);
      for (const s of train) perClass[s.label.classIndex]++;
      expect(Math.min(...perClass)).toBeGreaterThan(20);
      expect(Math.max(...perClass)).toBeLessThan(80);
    });

    it('has signature spaces of the documented sizes', () => {
      expect(SIGNATURE_SPACE).toEqual({ 1: 1152, 2: 294_912, 3: 66_060_288 });
    });
  });
});
