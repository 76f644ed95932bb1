import { VQA_ANSWERS_PER_QUESTION, shapesVLSample } from '@vlp/data';
import { shapesVLRetrievalSet, shapesVLZeroShotSet } from '@vlp/tasks';
import { TINY_CLIP_TEMPLATES } from '@vlp/zoo';
import type { BenchData } from './bench-data.js';

/**
 * Zero-shot prompts for Shapes-VL: the class is the colour and shape of the main object, the large
 * one in scenes of two or three objects. The templates tiny-clip is reported with (and trained its
 * label term with), `TINY_CLIP_TEMPLATES` of `@vlp/zoo`.
 */
export const SHAPES_VL_TEMPLATES: readonly string[] = TINY_CLIP_TEMPLATES;

/** Shapes-VL train split size used for training examples (the standard split). */
const TRAIN_SIZE = 10_000;

/**
 * The embedded Shapes-VL data (`@vlp/data`): held-out sets from the `test` split, training examples
 * from the `train` split (caption `i mod 5`, question `i mod 9` of image `i`). Everything is
 * generated on demand and byte-identical on every machine.
 */
export function shapesVLData(seed = 0): BenchData {
  const test = (count: number, size: number) => Array.from({ length: count }, (_, i) => shapesVLSample(seed, 'test', i, size));
  return {
    id: `shapes-vl:seed=${seed}`,
    zeroShot: async (count, size) => ({ ...shapesVLZeroShotSet({ seed, split: 'test', count, size }), templates: SHAPES_VL_TEMPLATES }),
    retrieval: async (count, size) => shapesVLRetrievalSet({ seed, split: 'test', count, size }),
    captioning: async (count, size) => {
      const samples = test(count, size);
      return { images: samples.map((s) => s.image), references: samples.map((s) => s.captions) };
    },
    vqa: async (count, size) => {
      const samples = test(count, size);
      return {
        images: samples.map((s) => s.image),
        questions: samples.flatMap((s, imageIndex) =>
          s.questions.map((q) => ({ imageIndex, question: q.question, answers: Array.from({ length: VQA_ANSWERS_PER_QUESTION }, () => q.answer) })),
        ),
      };
    },
    trainSize: async () => TRAIN_SIZE,
    trainExample: async (index, size) => {
      const s = shapesVLSample(seed, 'train', index, size);
      const q = s.questions[index % s.questions.length];
      return { image: s.image, caption: s.captions[index % s.captions.length] as string, question: q?.question ?? '', answer: q?.answer ?? '' };
    },
  };
}
