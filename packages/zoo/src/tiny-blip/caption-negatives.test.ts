import { describe, expect, it } from 'vitest';
import { captionMatchesScene, shapesVLAnnotations } from '@vlp/data';
import { negativeCaption } from './caption-negatives.js';

describe('negativeCaption', () => {
  it('changes one word of a true caption so that it no longer matches the scene, deterministically', () => {
    for (let i = 0; i < 60; i++) {
      const a = shapesVLAnnotations(0, 'train', i);
      for (const [k, caption] of a.captions.entries()) {
        const negative = negativeCaption(caption, a.objects, `${i}:${k}`);
        expect(negative, caption).toBeDefined();
        expect(captionMatchesScene(negative as string, a.objects), negative).toBe(false);
        const changed = caption.split(' ').filter((w, j) => w !== (negative as string).split(' ')[j]);
        expect(changed, `${caption} → ${negative}`).toHaveLength(1);
        expect(negativeCaption(caption, a.objects, `${i}:${k}`)).toBe(negative);
      }
    }
  });
});
