import { captionMatchesScene, COLOURS, POSITION_PHRASES, type SceneObject, SHAPES } from '@vlp/data';
import type { Rng } from '@vlp/core';

/** Probability that a hard negative changes the shape of an object (otherwise its colour). */
export const SHAPE_SWAP_PROBABILITY = 0.6;
/** Probability that the changed object is the scene's main (large) object when there are others. */
export const MAIN_OBJECT_PROBABILITY = 0.5;

/**
 * A hard-negative caption in the manner of NegCLIP (Yuksekgonul et al., "When and why vision-language
 * models behave like bags-of-words", ICLR 2023): `caption`, a true caption of a scene with `objects`,
 * with one object's shape or colour changed to another value. Every Shapes-VL caption names each
 * object by its size, colour and shape ("a single large red circle"), so the change is made there; the result is false
 * of the scene (the changed noun phrase names no object at that place) and differs from the truth in
 * exactly one attribute. Which object (the main one with probability {@link MAIN_OBJECT_PROBABILITY}),
 * which attribute ({@link SHAPE_SWAP_PROBABILITY} shape) and which new value come from `rng`.
 *
 * With `spatial` > 0, that fraction of the negatives changes a spatial word instead
 * ({@link spatialNegativeCaption}: a position phrase or a relation), when the caption has one that
 * can be made false; otherwise, and always with `spatial` = 0 (which draws exactly what it drew
 * before the option existed), an attribute as above.
 */
export function hardNegativeCaption(caption: string, objects: readonly SceneObject[], rng: Rng, spatial = 0): string {
  if (spatial > 0 && rng.nextFloat() < spatial) {
    const changed = spatialNegativeCaption(caption, objects, rng);
    if (changed !== undefined) return changed;
  }
  const main = objects.length === 1 || rng.nextFloat() < MAIN_OBJECT_PROBABILITY;
  const object = main ? objects[0]! : objects[1 + rng.nextInt(objects.length - 1)]!;
  const phrase = `${object.size} ${object.colour} ${object.shape}`;
  const at = caption.indexOf(phrase);
  if (at < 0) throw new Error(`hardNegativeCaption: "${phrase}" is not in the caption "${caption}".`);
  let changed: string;
  if (rng.nextFloat() < SHAPE_SWAP_PROBABILITY) {
    const others = SHAPES.filter((s) => s !== object.shape);
    changed = `${object.size} ${object.colour} ${others[rng.nextInt(others.length)]}`;
  } else {
    const others = COLOURS.filter((c) => c !== object.colour);
    changed = `${object.size} ${others[rng.nextInt(others.length)]} ${object.shape}`;
  }
  return caption.slice(0, at) + changed + caption.slice(at + phrase.length);
}

/** Position phrases as they appear in captions, and the relation words with their opposites. */
const PHRASES: readonly string[] = Object.values(POSITION_PHRASES);
const OPPOSITE: Readonly<Record<string, string>> = { above: 'below', below: 'above', 'to the left of': 'to the right of', 'to the right of': 'to the left of' };

/** Every place `phrase` occurs in `text` as whole words. */
function occurrences(text: string, phrase: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
    const before = at === 0 ? ' ' : text[at - 1];
    const after = text[at + phrase.length] ?? ' ';
    if (/[\s:]/.test(before as string) && /[\s,]/.test(after)) out.push(at);
  }
  return out;
}

/**
 * A spatial hard negative: `caption` (true of the scene) with one position phrase changed into
 * another ("in the top left corner" → "at the bottom") or one relation reversed ("above" →
 * "below", "to the left of" → "to the right of") — so that a contrastive model must see where
 * things are, not only which things there are. The place and the new phrase come from `rng`;
 * candidates are kept only when the Shapes-VL caption grammar says the result no longer matches
 * `objects`. Undefined when the caption has no spatial word or no change makes it false.
 */
export function spatialNegativeCaption(caption: string, objects: readonly SceneObject[], rng: Rng): string | undefined {
  const slots = [...PHRASES, ...Object.keys(OPPOSITE)].flatMap((phrase) => occurrences(caption, phrase).map((at) => ({ at, phrase })));
  for (let attempt = 0; slots.length > 0 && attempt < 16; attempt++) {
    const slot = slots[rng.nextInt(slots.length)]!;
    const others = PHRASES.includes(slot.phrase) ? PHRASES.filter((x) => x !== slot.phrase) : [OPPOSITE[slot.phrase] as string];
    const changed = caption.slice(0, slot.at) + others[rng.nextInt(others.length)] + caption.slice(slot.at + slot.phrase.length);
    if (!captionMatchesScene(changed, objects)) return changed;
  }
  return undefined;
}
