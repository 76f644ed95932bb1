import type { ImageProcessor, VlpTokenizer } from '@vlp/models';
import type { TrainerOptions } from '@vlp/tasks';
import { type ClipPairBatch, shapesVLPairData } from './shapes-vl-pairs.js';
import type { TinyClipRecipe } from './train-clip-tower.js';
import { TINY_CLIP_IMAGE_SIZE } from './tiny-clip-config.js';

/**
 * The trainer options a tiny-clip recipe fixes — data (Shapes-VL train pairs), batch size, steps,
 * learning rate and schedule, AdamW weight decay, seed — shared by the one-thread loop and both
 * tower threads, so that they walk the same batches with the same optimizer.
 */
export function tinyClipTrainOptions(
  r: TinyClipRecipe,
  tokenizer: VlpTokenizer,
  imageProcessor: ImageProcessor,
): Pick<TrainerOptions<ClipPairBatch>, 'data' | 'batchSize' | 'steps' | 'learningRate' | 'schedule' | 'optimizer' | 'seed'> {
  return {
    data: shapesVLPairData({ tokenizer, imageProcessor, images: r.trainImages, size: TINY_CLIP_IMAGE_SIZE, hardNegatives: r.hardNegatives === 1, negativeSeed: r.seed, spatialNegatives: r.spatialNegatives, ...(r.objectWeight > 0 ? { objectGrid: TINY_CLIP_IMAGE_SIZE / r.patchSize } : {}) }),
    batchSize: r.batchSize,
    steps: r.steps,
    learningRate: r.learningRate,
    schedule: { warmupSteps: r.warmupSteps },
    optimizer: { weightDecay: r.weightDecay },
    seed: r.seed,
  };
}
