import { createHash } from 'node:crypto';
import type { RgbImage } from '@vlp/models';
import { canonicalJson } from '../grid/canonical-json.js';

/**
 * sha256 of an evaluation set: the pixels (width, height, bytes) of every image in order plus the
 * canonical JSON of every other field (texts, labels, questions, answers, templates).
 */
export function hashTaskSet(set: { readonly images: readonly RgbImage[] } & Record<string, unknown>): string {
  const h = createHash('sha256');
  for (const image of set.images) {
    h.update(`${image.width}x${image.height}:`);
    h.update(image.data);
  }
  const { images: _images, ...rest } = set;
  h.update(canonicalJson(rest));
  return h.digest('hex');
}
