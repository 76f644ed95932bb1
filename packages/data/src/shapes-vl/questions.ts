/**
 * VQA questions of Shapes-VL. Each image gets nine questions with exactly one correct answer:
 * one each of colour, shape, size, count and position, and four yes/no questions (two answered
 * "yes", two "no", so yes/no is balanced in every split).
 *
 * Objects are referred to by the shortest description that is unique in the scene and does not
 * contain what is asked ("what color is the star?", "what shape is the red object?", "where is the
 * small circle?"), trying attribute sets from small to large in the order shape, colour, size,
 * position.
 */
import type { Rng } from '@vlp/core';
import { trueRelations } from './captions.js';
import type { SceneObject, ShapesVLQuestion } from './types.js';
import { COLOURS, POSITION_PHRASES, RELATIONS, SHAPES, SIZES } from './vocabulary.js';

type Attribute = 'shape' | 'colour' | 'size' | 'position';

/** Attribute subsets in the order referring expressions try them. */
const REFERENCE_SETS: readonly (readonly Attribute[])[] = (() => {
  const order: Attribute[] = ['shape', 'colour', 'size', 'position'];
  const sets: Attribute[][] = [];
  for (let mask = 1; mask < 16; mask++) sets.push(order.filter((_, i) => mask & (1 << i)));
  const rank = (set: readonly Attribute[]) => set.reduce((r, a) => r * 4 + order.indexOf(a), 0);
  return sets.sort((x, y) => x.length - y.length || rank(x) - rank(y));
})();

/**
 * "the small red circle", "the red object", "the circle in the top left corner", … — the shortest
 * unique description of `objects[target]` that avoids the attributes in `exclude`, or `undefined`
 * when there is none (two identical objects and position excluded).
 */
export function referringExpression(objects: readonly SceneObject[], target: number, exclude: readonly Attribute[]): string | undefined {
  const o = objects[target];
  for (const set of REFERENCE_SETS) {
    if (set.some((a) => exclude.includes(a))) continue;
    const unique = objects.every((other, j) => j === target || set.some((a) => other[a] !== o[a]));
    if (!unique) continue;
    const words = ['the'];
    if (set.includes('size')) words.push(o.size);
    if (set.includes('colour')) words.push(o.colour);
    words.push(set.includes('shape') ? o.shape : 'object');
    if (set.includes('position')) words.push(POSITION_PHRASES[o.position]);
    return words.join(' ');
  }
  return undefined;
}

function q(question: string, answer: string, kind: ShapesVLQuestion['kind'], questionType: string): ShapesVLQuestion {
  const answerType = kind === 'yes/no' ? 'yes/no' : kind === 'count' ? 'number' : 'other';
  return { question, answer, kind, questionType, answerType };
}

/** "a red …" / "an orange …". */
function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.nextInt(items.length)];
}

/** A yes/no question builder: returns a question whose answer is `yes`, or undefined when impossible. */
type YesNoBuilder = (objects: readonly SceneObject[], rng: Rng, yes: boolean) => ShapesVLQuestion | undefined;

const existence: YesNoBuilder = (objects, rng, yes) => {
  if (yes) {
    const o = pick(rng, objects);
    return q(`is there ${article(o.colour)} ${o.colour} ${o.shape}?`, 'yes', 'yes/no', 'is there a');
  }
  const absent = COLOURS.flatMap((colour) => SHAPES.map((shape) => ({ colour, shape }))).filter(
    (t) => !objects.some((o) => o.colour === t.colour && o.shape === t.shape),
  );
  const t = pick(rng, absent);
  return q(`is there ${article(t.colour)} ${t.colour} ${t.shape}?`, 'no', 'yes/no', 'is there a');
};

const attribute: YesNoBuilder = (objects, rng, yes) => {
  const target = rng.nextInt(objects.length);
  const o = objects[target];
  const asked: 'colour' | 'size' = rng.nextInt(2) === 0 ? 'colour' : 'size';
  const ref = referringExpression(objects, target, [asked]);
  if (ref === undefined) return undefined;
  const values: readonly string[] = asked === 'colour' ? COLOURS : SIZES;
  const value = yes ? o[asked] : pick(rng, values.filter((v) => v !== o[asked]));
  return q(`is ${ref} ${value}?`, yes ? 'yes' : 'no', 'yes/no', 'is the');
};

const relation: YesNoBuilder = (objects, rng, yes) => {
  if (objects.length < 2) return undefined;
  const a = rng.nextInt(objects.length);
  const b = (a + 1 + rng.nextInt(objects.length - 1)) % objects.length;
  const refA = referringExpression(objects, a, ['position']);
  const refB = referringExpression(objects, b, ['position']);
  if (refA === undefined || refB === undefined) return undefined;
  const holding = trueRelations(objects[a], objects[b]);
  const candidates = RELATIONS.filter((r) => holding.includes(r) === yes);
  return q(`is ${refA} ${pick(rng, candidates)} ${refB}?`, yes ? 'yes' : 'no', 'yes/no', 'is the');
};

const YES_NO_BUILDERS: readonly YesNoBuilder[] = [existence, attribute, relation];

/** Two yes/no questions with answer `yes` (or `no`), from two different builders where possible. */
function yesNoPair(objects: readonly SceneObject[], rng: Rng, yes: boolean): ShapesVLQuestion[] {
  const out: ShapesVLQuestion[] = [];
  const order = Array.from(rng.permutation(YES_NO_BUILDERS.length), (i) => YES_NO_BUILDERS[i]);
  for (let attempt = 0; out.length < 2 && attempt < 24; attempt++) {
    const built = order[attempt % order.length](objects, rng, yes);
    if (built && !out.some((x) => x.question === built.question)) out.push(built);
  }
  return out;
}

/** The nine questions of a scene, drawn with `rng`. */
export function sceneQuestions(objects: readonly SceneObject[], rng: Rng): ShapesVLQuestion[] {
  const n = objects.length;
  const target = (exclude: readonly Attribute[]): [number, string] => {
    // The main object (objects[0]) is always uniquely describable: it is the only large one.
    const start = rng.nextInt(n);
    for (let k = 0; k < n; k++) {
      const i = (start + k) % n;
      const ref = referringExpression(objects, i, exclude);
      if (ref !== undefined) return [i, ref];
    }
    return [0, referringExpression(objects, 0, exclude) ?? 'the object'];
  };
  const questions: ShapesVLQuestion[] = [];
  {
    const [i, ref] = target(['colour']);
    questions.push(q(`what color is ${ref}?`, objects[i].colour, 'colour', 'what color is the'));
  }
  {
    const [i, ref] = target(['shape']);
    questions.push(q(`what shape is ${ref}?`, objects[i].shape, 'shape', 'what shape is the'));
  }
  {
    const [i, ref] = target(['size']);
    questions.push(q(`what size is ${ref}?`, objects[i].size, 'size', 'what size is the'));
  }
  {
    const variant = rng.nextInt(4);
    if (variant < 2) {
      questions.push(q('how many shapes are there?', String(n), 'count', 'how many'));
    } else if (variant === 2) {
      const size = pick(rng, SIZES);
      questions.push(q(`how many ${size} shapes are there?`, String(objects.filter((o) => o.size === size).length), 'count', 'how many'));
    } else {
      const colour = pick(rng, COLOURS);
      questions.push(q(`how many ${colour} shapes are there?`, String(objects.filter((o) => o.colour === colour).length), 'count', 'how many'));
    }
  }
  {
    const [i, ref] = target(['position']);
    questions.push(q(`where is ${ref}?`, objects[i].position, 'position', 'where is the'));
  }
  const yesNo = [...yesNoPair(objects, rng, true), ...yesNoPair(objects, rng, false)];
  const order = rng.permutation(yesNo.length);
  for (const i of order) questions.push(yesNo[i]);
  return questions;
}
