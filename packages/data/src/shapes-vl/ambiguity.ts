import { type CaptionClaims, claimsMatchScene, parseShapesVLCaption } from './caption-grammar.js';
import type { SceneObject } from './types.js';

/** What {@link captionAmbiguity} needs of a sample. */
export interface CaptionedScene {
  readonly imageId: number;
  readonly objects: readonly SceneObject[];
  readonly captions: readonly string[];
}

/** Retrieval ambiguity of a set of captioned scenes. */
export interface CaptionAmbiguity {
  /** Number of captions. */
  readonly captions: number;
  /** Captions that are true of more than one scene of the set (their own and at least one other). */
  readonly ambiguous: number;
  /** Scenes with at least one ambiguous caption. */
  readonly ambiguousImages: number;
  /** Up to `maxExamples` ambiguous captions with the ids of every scene they match. */
  readonly examples: readonly { readonly caption: string; readonly imageIds: readonly number[] }[];
}

/** The multiset of (size, colour, shape) of a scene: captions can only match scenes with the same one. */
function attributeKey(objects: readonly { size: string; colour: string; shape: string }[]): string {
  return objects
    .map((o) => `${o.size} ${o.colour} ${o.shape}`)
    .sort()
    .join('|');
}

/**
 * Counts the captions that match more than one scene of `samples` (typically a test split), i.e.
 * text queries for which retrieval is not well posed. A caption matches a scene when it is true of
 * the whole scene (`captionMatchesScene`: same number of objects, every attribute, position and
 * relation claim holds). Captions must be Shapes-VL captions (`InvalidArgumentError` otherwise).
 *
 * For the default test split (`shapesVLAnnotations(0, 'test', i)`, i < 1000: 5 000 captions),
 * 22 captions (of 9 images) are ambiguous; see the README.
 */
export function captionAmbiguity(samples: readonly CaptionedScene[], maxExamples = 10): CaptionAmbiguity {
  const buckets = new Map<string, CaptionedScene[]>();
  for (const s of samples) {
    const key = attributeKey(s.objects);
    const bucket = buckets.get(key);
    if (bucket) bucket.push(s);
    else buckets.set(key, [s]);
  }
  let captions = 0;
  let ambiguous = 0;
  let ambiguousImages = 0;
  const examples: { caption: string; imageIds: number[] }[] = [];
  for (const s of samples) {
    let imageAmbiguous = false;
    for (const caption of s.captions) {
      captions++;
      const claims: CaptionClaims = parseShapesVLCaption(caption);
      const candidates = buckets.get(attributeKey(claims.objects)) ?? [];
      const matches = candidates.filter((c) => claimsMatchScene(claims, c.objects));
      if (matches.length > 1) {
        ambiguous++;
        imageAmbiguous = true;
        if (examples.length < maxExamples) examples.push({ caption, imageIds: matches.map((m) => m.imageId) });
      }
    }
    if (imageAmbiguous) ambiguousImages++;
  }
  return { captions, ambiguous, ambiguousImages, examples };
}

/**
 * A scene's signature: what its captions can describe (each object's size, colour, shape and grid
 * cell; not the jitter inside the cell), as a canonical string. Two scenes with the same signature
 * are caption-level duplicates; the splits never share one.
 */
export function sceneSignature(objects: readonly SceneObject[]): string {
  return objects
    .map((o) => `${o.size} ${o.colour} ${o.shape} @ ${o.position}`)
    .sort()
    .join('; ');
}
