import { describe, expect, it } from 'vitest';
import { createRng } from '@vlp/core';
import { captionMatchesScene, COLOURS, POSITION_PHRASES, SHAPES, shapesVLAnnotations } from '@vlp/data';
import { hardNegativeCaption, spatialNegativeCaption } from './hard-negative-caption.js';

/** The (size, colour, shape) triples a caption names, in order of appearance. */
function mentions(caption: string): string[] {
  const pattern = new RegExp(`(small|large) (${COLOURS.join('|')}) (${SHAPES.join('|')})`, 'g');
  return [...caption.matchAll(pattern)].map((m) => m[0]);
}

describe('hardNegativeCaption', () => {
  it('changes exactly one attribute of one object and nothing else in the caption', () => {
    let shapeSwaps = 0;
    let mainSwaps = 0;
    let total = 0;
    for (let index = 0; index < 60; index++) {
      const a = shapesVLAnnotations(0, 'train', index);
      for (const [c, caption] of a.captions.entries()) {
        const negative = hardNegativeCaption(caption, a.objects, createRng(index).split(c));
        const before = mentions(caption);
        const after = mentions(negative);
        expect(after).toHaveLength(before.length);
        const changed = before.flatMap((m, i) => (m === after[i] ? [] : [[m.split(' '), (after[i] as string).split(' ')] as const]));
        expect(changed).toHaveLength(1);
        const [[size, colour, shape], [size2, colour2, shape2]] = changed[0]!;
        expect(size2).toBe(size);
        expect(Number(colour2 !== colour) + Number(shape2 !== shape)).toBe(1);
        // the rest of the sentence is untouched
        expect(negative.replace(/(small|large) \S+ \S+/g, '·')).toBe(caption.replace(/(small|large) \S+ \S+/g, '·'));
        if (shape2 !== shape) shapeSwaps++;
        const main = a.objects[0]!;
        if (changed[0]![0].join(' ') === `${main.size} ${main.colour} ${main.shape}`) mainSwaps++;
        total++;
      }
    }
    // the drawing probabilities (0.6 shape; the main object at least half the time)
    expect(shapeSwaps / total).toBeGreaterThan(0.5);
    expect(shapeSwaps / total).toBeLessThan(0.7);
    expect(mainSwaps / total).toBeGreaterThan(0.5);
  });

  it('is a function of the caption, the objects and the random stream', () => {
    const a = shapesVLAnnotations(0, 'train', 7);
    const one = hardNegativeCaption(a.captions[0] as string, a.objects, createRng(3).split('x'));
    expect(hardNegativeCaption(a.captions[0] as string, a.objects, createRng(3).split('x'))).toBe(one);
    expect(one).not.toBe(a.captions[0]);
  });

  it('spatial = 0 (the default) never moves a spatial word: every negative changes a named object', () => {
    for (let index = 0; index < 20; index++) {
      const a = shapesVLAnnotations(0, 'train', index);
      for (const [c, caption] of a.captions.entries()) {
        const negative = hardNegativeCaption(caption, a.objects, createRng(index).split(c), 0);
        expect(mentions(negative)).not.toEqual(mentions(caption));
        expect(withoutSpatialWords(negative).replace(/(small|large) \S+ \S+/g, '·')).toBe(withoutSpatialWords(caption).replace(/(small|large) \S+ \S+/g, '·'));
      }
    }
  });
});

/** The caption with every position phrase and relation replaced by a placeholder. */
function withoutSpatialWords(caption: string): string {
  const phrases = [...Object.values(POSITION_PHRASES), 'to the left of', 'to the right of', 'above', 'below'];
  return phrases.reduce((text, p) => text.split(p).join('·'), caption);
}

describe('spatialNegativeCaption', () => {
  it('changes one position phrase or reverses one relation, and the result is false of the scene', () => {
    let made = 0;
    let total = 0;
    let relations = 0;
    for (let index = 0; index < 80; index++) {
      const a = shapesVLAnnotations(0, 'train', index);
      for (const [c, caption] of a.captions.entries()) {
        total++;
        const negative = spatialNegativeCaption(caption, a.objects, createRng(index).split(c));
        if (negative === undefined) continue;
        made++;
        expect(captionMatchesScene(caption, a.objects)).toBe(true);
        expect(captionMatchesScene(negative, a.objects)).toBe(false);
        expect(negative).not.toBe(caption);
        // the objects named are the same, in the same order; only spatial words moved
        expect(mentions(negative)).toEqual(mentions(caption));
        expect(withoutSpatialWords(negative)).toBe(withoutSpatialWords(caption));
        if (/above|below|to the (left|right) of/.test(caption) && negative.match(/above|below|to the (left|right) of/g)?.join() !== caption.match(/above|below|to the (left|right) of/g)?.join()) relations++;
      }
    }
    expect(made / total).toBeGreaterThan(0.85); // most captions say where something is
    expect(relations).toBeGreaterThan(0);
  });

  it('is undefined when the caption has no spatial word', () => {
    const a = shapesVLAnnotations(0, 'train', 3);
    const o = a.objects[0]!;
    expect(spatialNegativeCaption(`a ${o.size} ${o.colour} ${o.shape}`, [o], createRng(0))).toBeUndefined();
  });

  it('hardNegativeCaption with spatial = 1 gives spatial negatives where it can, attribute ones elsewhere', () => {
    let spatial = 0;
    let total = 0;
    for (let index = 0; index < 40; index++) {
      const a = shapesVLAnnotations(0, 'train', index);
      for (const [c, caption] of a.captions.entries()) {
        const negative = hardNegativeCaption(caption, a.objects, createRng(index).split(c), 1);
        expect(captionMatchesScene(negative, a.objects)).toBe(false);
        total++;
        if (mentions(negative).join() === mentions(caption).join()) spatial++;
      }
    }
    expect(spatial / total).toBeGreaterThan(0.85);
  });
});
