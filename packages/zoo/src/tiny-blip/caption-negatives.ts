import { createRng, type SeedLike } from '@vlp/core';
import { COLOURS, captionMatchesScene, type SceneObject, SHAPES, SIZES } from '@vlp/data';

/** Words a negative caption may change, each with the words it may become. */
const SWAPS: ReadonlyArray<readonly string[]> = [COLOURS, SHAPES, SIZES, ['above', 'below'], ['left', 'right']];

/**
 * A caption that is false of the scene, made from a true `caption` by changing one word: a colour,
 * shape or size into another, `above` ↔ `below` or `left` ↔ `right` (NegCLIP-style caption
 * negatives, so that ITM learns to check every attribute, not only the ones that tell a batch's
 * images apart). Candidates are drawn with a generator seeded by `seed` and kept only when the
 * Shapes-VL caption grammar says they no longer match `objects`; undefined when no single-word
 * change makes the caption false (rare: 64 tries).
 */
export function negativeCaption(caption: string, objects: readonly SceneObject[], seed: SeedLike): string | undefined {
  const rng = createRng(seed);
  const words = caption.split(' ');
  const slots = words.flatMap((w, i) => {
    const bare = w.replace(/[,:]$/, '');
    const group = SWAPS.find((g) => g.includes(bare));
    return group ? [{ i, bare, group }] : [];
  });
  if (slots.length === 0) return undefined;
  for (let attempt = 0; attempt < 64; attempt++) {
    const slot = slots[rng.nextInt(slots.length)] as (typeof slots)[number];
    const others = slot.group.filter((w) => w !== slot.bare);
    const replacement = others[rng.nextInt(others.length)] as string;
    const changed = words.map((w, i) => (i === slot.i ? w.replace(slot.bare, replacement) : w)).join(' ');
    if (!captionMatchesScene(changed, objects)) return changed;
  }
  return undefined;
}
