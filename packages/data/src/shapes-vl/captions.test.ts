import { InvalidArgumentError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { captionAmbiguity } from './ambiguity.js';
import { captionMatchesScene, parseShapesVLCaption } from './caption-grammar.js';
import { trueRelations } from './captions.js';
import { DEFAULT_SPLIT_COUNTS, shapesVLAnnotations } from './generate.js';
import type { SceneObject } from './types.js';

const obj = (size: 'small' | 'large', colour: SceneObject['colour'], shape: SceneObject['shape'], position: SceneObject['position']): SceneObject => {
  const cell = ['top left', 'top', 'top right', 'left', 'center', 'right', 'bottom left', 'bottom', 'bottom right'].indexOf(position);
  return { size, colour, shape, position, x: (cell % 3) * 120 + 60, y: Math.floor(cell / 3) * 120 + 60 };
};

/** The number of test captions that match more than one test image (documented in the README). */
const DEFAULT_TEST_AMBIGUOUS_CAPTIONS = 22;

describe('shapes-vl', () => {
  const samples = Array.from({ length: 400 }, (_, i) => shapesVLAnnotations(0, 'test', i));

  describe('captions', () => {
    it('are true of their own scene and mention every object with its size, colour and shape', () => {
      for (const s of samples) {
        for (const caption of s.captions) {
          expect(captionMatchesScene(caption, s.objects), caption).toBe(true);
          for (const o of s.objects) expect(caption).toContain(`${o.size} ${o.colour} ${o.shape}`);
        }
      }
    });

    it('use relation words that agree with the objects’ centres', () => {
      let checked = 0;
      for (const s of samples) {
        for (const caption of s.captions) {
          const claims = parseShapesVLCaption(caption);
          for (const { a, relation, b } of claims.relations) {
            // objects of different sizes/colours/shapes are unambiguous within a scene in most cases
            const oa = s.objects.filter((o) => o.size === claims.objects[a].size && o.colour === claims.objects[a].colour && o.shape === claims.objects[a].shape);
            const ob = s.objects.filter((o) => o.size === claims.objects[b].size && o.colour === claims.objects[b].colour && o.shape === claims.objects[b].shape);
            if (oa.length !== 1 || ob.length !== 1) continue;
            const [A, B] = [oa[0], ob[0]];
            const holds = { above: A.y < B.y - 60, below: A.y > B.y + 60, 'to the left of': A.x < B.x - 60, 'to the right of': A.x > B.x + 60 }[relation];
            expect(holds, `${caption}: ${JSON.stringify([A, B])}`).toBe(true);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(1000);
    });

    it('use every relation, and positions and counts', () => {
      const text = samples.flatMap((s) => s.captions).join('\n');
      for (const word of ['above', 'below', 'to the left of', 'to the right of', 'in the top left corner', 'at the bottom', 'two shapes:', 'three shapes:', 'one shape:', ', which is ']) {
        expect(text).toContain(word);
      }
    });
  });

  describe('parseShapesVLCaption', () => {
    it('reads listings, positions, relations, chains and counts', () => {
      expect(parseShapesVLCaption('two shapes: a small red circle above a large blue square')).toEqual({
        count: 2,
        objects: [
          { size: 'small', colour: 'red', shape: 'circle' },
          { size: 'large', colour: 'blue', shape: 'square' },
        ],
        relations: [{ a: 0, relation: 'above', b: 1 }],
      });
      expect(parseShapesVLCaption('in the top left corner, a large pink heart').objects).toEqual([{ size: 'large', colour: 'pink', shape: 'heart', position: 'top left' }]);
      expect(parseShapesVLCaption('a single small cyan ring at the bottom').objects).toEqual([{ size: 'small', colour: 'cyan', shape: 'ring', position: 'bottom' }]);
      const chain = parseShapesVLCaption('there is a small red star to the left of a large green cross, which is below a small orange diamond');
      expect(chain.relations).toEqual([
        { a: 0, relation: 'to the left of', b: 1 },
        { a: 1, relation: 'below', b: 2 },
      ]);
      expect(parseShapesVLCaption('a small red star on the left, a large green cross in the center and a small orange ring on the right').objects.map((o) => o.position)).toEqual([
        'left',
        'center',
        'right',
      ]);
    });

    it('rejects text outside the grammar and inconsistent counts', () => {
      for (const bad of ['a dog on a skateboard', 'two shapes: a small red circle', 'a huge red circle', 'a small red circle above']) {
        expect(() => parseShapesVLCaption(bad), bad).toThrow(InvalidArgumentError);
      }
    });
  });

  describe('captionMatchesScene', () => {
    const scene = [obj('large', 'blue', 'square', 'center'), obj('small', 'red', 'circle', 'top left')];
    it('holds when every claim holds and the object count is the same', () => {
      expect(captionMatchesScene('a small red circle above a large blue square', scene)).toBe(true);
      expect(captionMatchesScene('a small red circle to the left of a large blue square', scene)).toBe(true);
      expect(captionMatchesScene('a large blue square below a small red circle', scene)).toBe(true);
      expect(captionMatchesScene('two shapes: a large blue square in the center and a small red circle in the top left corner', scene)).toBe(true);
    });

    it('fails on a wrong attribute, position, relation or count', () => {
      expect(captionMatchesScene('a small red circle below a large blue square', scene)).toBe(false);
      expect(captionMatchesScene('a small red circle to the right of a large blue square', scene)).toBe(false);
      expect(captionMatchesScene('a large red circle above a large blue square', scene)).toBe(false);
      expect(captionMatchesScene('a large blue square on the left and a small red circle in the top left corner', scene)).toBe(false);
      expect(captionMatchesScene('a large blue square in the center', scene)).toBe(false);
      expect(captionMatchesScene('a small red circle above a large blue square', [...scene, obj('small', 'green', 'star', 'bottom')])).toBe(false);
    });

    it('agrees with trueRelations for every pair of cells', () => {
      const cells = ['top left', 'top', 'top right', 'left', 'center', 'right', 'bottom left', 'bottom', 'bottom right'] as const;
      for (const pa of cells) {
        for (const pb of cells) {
          if (pa === pb) continue;
          const a = obj('small', 'red', 'circle', pa);
          const b = obj('large', 'blue', 'star', pb);
          for (const relation of ['above', 'below', 'to the left of', 'to the right of'] as const) {
            expect(captionMatchesScene(`a small red circle ${relation} a large blue star`, [a, b])).toBe(trueRelations(a, b).includes(relation));
          }
        }
      }
    });
  });

  describe('captionAmbiguity', () => {
    it('counts captions true of several scenes', () => {
      const a = { imageId: 1, objects: [obj('large', 'blue', 'square', 'center'), obj('small', 'red', 'circle', 'top')], captions: ['a small red circle above a large blue square', 'a small red circle at the top and a large blue square in the center'] };
      const b = { imageId: 2, objects: [obj('large', 'blue', 'square', 'bottom'), obj('small', 'red', 'circle', 'left')], captions: ['a small red circle above a large blue square', 'a small red circle to the left of a large blue square'] };
      const c = { imageId: 3, objects: [obj('large', 'green', 'square', 'bottom')], captions: ['a large green square at the bottom'] };
      const result = captionAmbiguity([a, b, c]);
      expect(result).toMatchObject({ captions: 5, ambiguous: 2, ambiguousImages: 2 });
      expect(result.examples[0]).toEqual({ caption: 'a small red circle above a large blue square', imageIds: [1, 2] });
    });

    it(`finds ${DEFAULT_TEST_AMBIGUOUS_CAPTIONS} ambiguous captions among the 5 000 of the default test split`, () => {
      const test = Array.from({ length: DEFAULT_SPLIT_COUNTS.test }, (_, i) => shapesVLAnnotations(0, 'test', i));
      const result = captionAmbiguity(test);
      expect(result.captions).toBe(5000);
      expect(result.ambiguous).toBe(DEFAULT_TEST_AMBIGUOUS_CAPTIONS);
      expect(result.ambiguousImages).toBe(9);
    });
  });
});
