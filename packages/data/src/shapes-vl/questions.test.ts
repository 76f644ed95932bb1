import { describe, expect, it } from 'vitest';
import { trueRelations } from './captions.js';
import { shapesVLAnnotations } from './generate.js';
import { referringExpression } from './questions.js';
import type { SceneObject } from './types.js';
import { COLOURS, POSITION_PHRASES, POSITIONS, type Relation, SHAPES, SIZES } from './vocabulary.js';

const REF = new RegExp(
  `^the (?:(${SIZES.join('|')}) )?(?:(${COLOURS.join('|')}) )?(${[...SHAPES, 'object'].join('|')})(?: (${Object.values(POSITION_PHRASES).join('|')}))?$`,
);

/** The scene objects a referring expression ("the small red circle in the center") fits. */
function resolve(ref: string, objects: readonly SceneObject[]): SceneObject[] {
  const m = REF.exec(ref);
  if (!m) throw new Error(`not a referring expression: ${ref}`);
  const [, size, colour, shape, where] = m;
  return objects.filter(
    (o) =>
      (size === undefined || o.size === size) &&
      (colour === undefined || o.colour === colour) &&
      (shape === 'object' || o.shape === shape) &&
      (where === undefined || POSITION_PHRASES[o.position] === where),
  );
}

/** Answers a Shapes-VL question from the scene alone (an independent oracle). */
function oracle(question: string, objects: readonly SceneObject[]): string {
  const one = (ref: string) => {
    const found = resolve(ref, objects);
    expect(found, `${question}: "${ref}" must refer to exactly one object`).toHaveLength(1);
    return found[0];
  };
  let m: RegExpExecArray | null;
  if ((m = /^what color is (.+)\?$/.exec(question))) return one(m[1]).colour;
  if ((m = /^what shape is (.+)\?$/.exec(question))) return one(m[1]).shape;
  if ((m = /^what size is (.+)\?$/.exec(question))) return one(m[1]).size;
  if ((m = /^where is (.+)\?$/.exec(question))) return one(m[1]).position;
  if (question === 'how many shapes are there?') return String(objects.length);
  if ((m = /^how many (\w+) shapes are there\?$/.exec(question))) return String(objects.filter((o) => o.size === m![1] || o.colour === m![1]).length);
  if ((m = /^is there an? (\w+) (\w+)\?$/.exec(question))) return objects.some((o) => o.colour === m![1] && o.shape === m![2]) ? 'yes' : 'no';
  if ((m = /^is (the .+) (above|below|to the left of|to the right of) (the .+)\?$/.exec(question))) {
    return trueRelations(one(m[1]), one(m[3])).includes(m[2] as Relation) ? 'yes' : 'no';
  }
  if ((m = /^is (the .+) (\w+)\?$/.exec(question))) {
    const o = one(m[1]);
    return o.colour === m[2] || o.size === m[2] ? 'yes' : 'no';
  }
  throw new Error(`unknown question: ${question}`);
}

describe('shapes-vl', () => {
  const samples = Array.from({ length: 500 }, (_, i) => shapesVLAnnotations(0, 'val', i));

  describe('questions', () => {
    it('have the answers an independent oracle computes from the scene', () => {
      for (const s of samples) for (const q of s.questions) expect(q.answer, `${s.id}: ${q.question}`).toBe(oracle(q.question, s.objects));
    });

    it('cover every kind in fixed proportions, with yes/no balanced in every image', () => {
      for (const s of samples) {
        expect(s.questions.map((q) => q.kind).sort()).toEqual(['colour', 'count', 'position', 'shape', 'size', 'yes/no', 'yes/no', 'yes/no', 'yes/no']);
        const yesNo = s.questions.filter((q) => q.kind === 'yes/no').map((q) => q.answer);
        expect(yesNo.filter((a) => a === 'yes')).toHaveLength(2);
        expect(yesNo.filter((a) => a === 'no')).toHaveLength(2);
        expect(new Set(s.questions.map((q) => q.question)).size).toBe(9);
      }
      const all = samples.flatMap((s) => s.questions);
      expect(new Set(all.filter((q) => q.kind === 'position').map((q) => q.answer))).toEqual(new Set(POSITIONS));
      expect(new Set(all.filter((q) => q.kind === 'count').map((q) => q.answer))).toEqual(new Set(['0', '1', '2', '3']));
      expect(new Set(all.map((q) => q.answerType))).toEqual(new Set(['yes/no', 'number', 'other']));
      const questionTypes = new Set(all.map((q) => q.questionType));
      for (const q of all) expect(q.question.startsWith(q.questionType)).toBe(true);
      expect(questionTypes.size).toBe(7);
      // relation questions appear
      expect(all.some((q) => / (above|below|to the left of|to the right of) the /.test(q.question))).toBe(true);
    });

    it('say "an" before "orange"', () => {
      const all = samples.flatMap((s) => s.questions).map((q) => q.question);
      expect(all.some((q) => q.startsWith('is there an orange '))).toBe(true);
      expect(all.some((q) => q.startsWith('is there a orange '))).toBe(false);
    });
  });

  describe('referringExpression', () => {
    const scene: SceneObject[] = [
      { shape: 'circle', colour: 'red', size: 'large', position: 'center', x: 180, y: 180 },
      { shape: 'circle', colour: 'blue', size: 'small', position: 'top', x: 180, y: 60 },
      { shape: 'circle', colour: 'blue', size: 'small', position: 'left', x: 60, y: 180 },
    ];
    it('uses the shortest unique description that avoids the asked attribute', () => {
      expect(referringExpression(scene, 0, [])).toBe('the red object');
      expect(referringExpression(scene, 0, ['colour'])).toBe('the large object');
      expect(referringExpression(scene, 1, [])).toBe('the object at the top');
      expect(referringExpression(scene, 1, ['position'])).toBeUndefined();
      expect(referringExpression(scene.slice(0, 2), 1, ['colour'])).toBe('the small object');
    });
  });
});
