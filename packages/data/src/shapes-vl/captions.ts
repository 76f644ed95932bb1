/**
 * Caption templates of Shapes-VL. Every caption mentions every object of its scene with its size,
 * colour and shape ("a small red circle"), and adds where they are: absolute positions ("in the top
 * left corner") or relations between two objects ("above", "to the left of", …, decided by grid rows
 * and columns). The grammar is small and closed; `caption-grammar.ts` parses it back.
 *
 * One object (six templates, five drawn per image):
 *   "a small red circle in the top left corner", "one shape: …", "there is …", "an image of …",
 *   "a single small red circle in the top left corner", "in the top left corner, a small red circle".
 * Two or three objects (five templates):
 *   positions listing  "a large blue square in the center and a small red circle at the top"
 *   relation           "[there is |an image of ]a small red circle above a large blue square"
 *                      (three objects: "A <rel> B, which is <rel> C")
 *   relation, another order of the objects, optionally prefixed the same way
 *   counted relation   "two shapes: a large blue square below a small red circle"
 *   counted listing    "three shapes: a large blue square, a small red circle and a small green star"
 *                      (two objects: a counted positions listing instead, so that every caption of a
 *                      two-object scene says where things are)
 */
import type { Rng } from '@vlp/core';
import type { SceneObject } from './types.js';
import { POSITION_PHRASES, type Relation, positionCell } from './vocabulary.js';

/** "one", "two", "three". */
export const COUNT_WORDS = ['zero', 'one', 'two', 'three'] as const;

/** "a small red circle". */
export function nounPhrase(object: SceneObject): string {
  return `a ${object.size} ${object.colour} ${object.shape}`;
}

/** The relations that hold for "a <relation> b" (by grid rows and columns). */
export function trueRelations(a: SceneObject, b: SceneObject): Relation[] {
  const ca = positionCell(a.position);
  const cb = positionCell(b.position);
  const out: Relation[] = [];
  if (ca.row < cb.row) out.push('above');
  if (ca.row > cb.row) out.push('below');
  if (ca.col < cb.col) out.push('to the left of');
  if (ca.col > cb.col) out.push('to the right of');
  return out;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.nextInt(items.length)];
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  return Array.from(rng.permutation(items.length), (i) => items[i]);
}

/** "x", "x and y", "x, y and z". */
function listing(parts: readonly string[]): string {
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** "A <rel> B" for two objects, "A <rel> B, which is <rel> C" for three, in the given order. */
function relationClause(rng: Rng, order: readonly SceneObject[]): string {
  const [a, b, c] = order;
  const first = `${nounPhrase(a)} ${pick(rng, trueRelations(a, b))} ${nounPhrase(b)}`;
  return c === undefined ? first : `${first}, which is ${pick(rng, trueRelations(b, c))} ${nounPhrase(c)}`;
}

const RELATION_PREFIXES = ['', 'there is ', 'an image of '] as const;

/** The five captions of a scene, drawn with `rng`. */
export function sceneCaptions(objects: readonly SceneObject[], rng: Rng): string[] {
  if (objects.length === 1) {
    const [o] = objects;
    const np = nounPhrase(o);
    const where = POSITION_PHRASES[o.position];
    const all = [
      `${np} ${where}`,
      `one shape: ${np} ${where}`,
      `there is ${np} ${where}`,
      `an image of ${np} ${where}`,
      `a single ${o.size} ${o.colour} ${o.shape} ${where}`,
      `${where}, ${np}`,
    ];
    return shuffled(rng, all).slice(0, 5);
  }
  const count = COUNT_WORDS[objects.length];
  // Three distinct orders of the objects for the three relation captions.
  const orders = shuffled(rng, permutationsOf(objects)).slice(0, 3);
  const positions = listing(shuffled(rng, objects).map((o) => `${nounPhrase(o)} ${POSITION_PHRASES[o.position]}`));
  const captions = [
    positions,
    `${pick(rng, RELATION_PREFIXES)}${relationClause(rng, orders[0])}`,
    `${pick(rng, RELATION_PREFIXES)}${relationClause(rng, orders[1])}`,
    `${count} shapes: ${relationClause(rng, orders[2 % orders.length])}`,
    objects.length === 2
      ? `${count} shapes: ${listing(shuffled(rng, objects).map((o) => `${nounPhrase(o)} ${POSITION_PHRASES[o.position]}`))}`
      : `${count} shapes: ${listing(shuffled(rng, objects).map(nounPhrase))}`,
  ];
  return captions;
}

function permutationsOf<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, i) => permutationsOf([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}
