import { InvalidArgumentError } from '@vlp/core';

/** The two halves of a CLIP model that the tower-parallel trainer trains in separate threads. */
export type ClipTower = 'vision' | 'text';

/**
 * Which tower a CLIP parameter belongs to: the vision tower owns `vision_model.*`,
 * `visual_projection.*` and `logit_scale` (the temperature is updated once, by the vision side);
 * the text tower `text_model.*` and `text_projection.*`.
 */
export function clipTowerOf(name: string): ClipTower {
  if (name.startsWith('vision_model.') || name.startsWith('visual_projection.') || name === 'logit_scale') return 'vision';
  if (name.startsWith('text_model.') || name.startsWith('text_projection.')) return 'text';
  throw new InvalidArgumentError({ message: `CLIP parameter "${name}" belongs to neither tower; tower-parallel training cannot place it.`, tensor: name });
}
