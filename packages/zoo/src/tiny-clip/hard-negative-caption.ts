import { COLOURS, type SceneObject, SHAPES } from '@vlp/data';
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
 */
export function hardNegativeCaption(caption: string, objects: readonly SceneObject[], rng: Rng): string {
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
