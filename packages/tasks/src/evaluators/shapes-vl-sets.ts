import { shapesVLClasses, shapesVLSample } from '@vlp/data';
import type { RetrievalSet } from './clip-retrieval.js';
import type { ZeroShotSet } from './clip-zero-shot.js';

export interface ShapesVLSetOptions {
  readonly seed?: number;
  readonly split?: 'train' | 'val' | 'test';
  readonly count: number;
  /** Image size in pixels (the model's image size). */
  readonly size: number;
  /** First sample index (default 0). */
  readonly start?: number;
}

/** Zero-shot classification of the main object's colour + shape on a Shapes-VL split. */
export function shapesVLZeroShotSet(o: ShapesVLSetOptions): ZeroShotSet {
  const samples = Array.from({ length: o.count }, (_, i) => shapesVLSample(o.seed ?? 0, o.split ?? 'test', (o.start ?? 0) + i, o.size));
  return { images: samples.map((s) => s.image), labels: samples.map((s) => s.label.classIndex), classNames: shapesVLClasses() };
}

/** Retrieval on a Shapes-VL split: every caption of every image. */
export function shapesVLRetrievalSet(o: ShapesVLSetOptions): RetrievalSet {
  const samples = Array.from({ length: o.count }, (_, i) => shapesVLSample(o.seed ?? 0, o.split ?? 'test', (o.start ?? 0) + i, o.size));
  const texts: string[] = [];
  const textToImage: number[] = [];
  samples.forEach((s, i) => {
    for (const c of s.captions) {
      texts.push(c);
      textToImage.push(i);
    }
  });
  return { images: samples.map((s) => s.image), texts, textToImage };
}
