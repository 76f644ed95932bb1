import type { RgbImage } from '@vlp/models';
import type { CaptioningSet, RetrievalSet, VqaSet, ZeroShotSet } from '@vlp/tasks';

/** One training example: an image with one caption and one question–answer pair. */
export interface TrainExample {
  readonly image: RgbImage;
  readonly caption: string;
  readonly question: string;
  readonly answer: string;
}

/** A zero-shot set with the prompt templates to ensemble. */
export interface ZeroShotTaskSet extends ZeroShotSet {
  readonly templates: readonly string[];
}

/**
 * Where the benchmark's data comes from: held-out sets per task and training examples (for
 * calibration and recovery fine-tuning). Shapes-VL renders images at the model's size; a data
 * directory returns its images as decoded (the model's image processor resizes them).
 */
export interface BenchData {
  /** `shapes-vl:seed=0` or `dir:<absolute path>`. */
  readonly id: string;
  zeroShot(count: number, size: number): Promise<ZeroShotTaskSet>;
  retrieval(count: number, size: number): Promise<RetrievalSet>;
  captioning(count: number, size: number): Promise<CaptioningSet>;
  vqa(count: number, size: number): Promise<VqaSet>;
  /** Number of training examples available. */
  trainSize(): Promise<number>;
  /** Training example `index` (0 ≤ index < trainSize()). */
  trainExample(index: number, size: number): Promise<TrainExample>;
}
