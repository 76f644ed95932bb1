/**
 * The vocabulary of a benchmark suite: which models, which tasks, which pruners at which sparsities
 * and seeds, how calibration, evaluation and recovery fine-tuning are sized.
 */

/** A task a model is evaluated on. */
export type TaskId = 'zero-shot' | 'retrieval' | 'captioning' | 'vqa';

/** Every task id, in report order. */
export const TASK_IDS: readonly TaskId[] = ['zero-shot', 'retrieval', 'captioning', 'vqa'];

/**
 * Where a model comes from:
 * - `embedded`: a checkpoint shipped in `@vlp/zoo` (`tiny-clip`, later `tiny-blip`);
 * - `dir`: a Hugging Face checkpoint directory on disk (relative paths resolve against the working directory);
 * - `fixture`: a directory of `../shared/fixtures/hf` beside the repository (tests).
 */
export type ModelSpec =
  | { readonly kind: 'embedded'; readonly name: string }
  | { readonly kind: 'dir'; readonly path: string }
  | { readonly kind: 'fixture'; readonly path: string };

/**
 * Which of the suite's pruners run on one model: a list of pruner ids (a subset of the suite's
 * pruners; with `pruners: 'installed'`, each must be installed), or `{ exclude }`: every pruner of
 * the suite but these (with `'installed'`, an excluded id that is not installed is ignored).
 */
export type ModelPruners = readonly string[] | { readonly exclude: readonly string[] };

/**
 * One model of a suite and the tasks it is evaluated on. The grid fields (`pruners`, `sparsities`,
 * `compressions`, `evaluation`, `recovery`) are optional per-model overrides: each one given replaces
 * the suite's value for this model only (validated like the suite's, and entering this model's cell
 * keys exactly as the suite's value would, so cells whose settings are unchanged keep their keys).
 */
export interface SuiteModel {
  /** Short label used in file names, tables and plots (`tiny-clip`). */
  readonly id: string;
  readonly model: ModelSpec;
  /** Tasks, each supported by the model's architecture (CLIP: zero-shot, retrieval; BLIP heads: their own). */
  readonly tasks: readonly TaskId[];
  /**
   * `true`: an `embedded` model that this version of `@vlp/zoo` does not ship (not in its
   * `EMBEDDED_MODELS`, or listed but its checkpoint not built yet) is left out of the run and
   * listed in run.json's `skipped`, instead of failing the run. Default false.
   */
  readonly optional?: boolean;
  /** This model's pruners instead of the suite's (a subset, or the suite's minus `exclude`). */
  readonly pruners?: ModelPruners;
  /** This model's unstructured / N:M targets instead of the suite's. */
  readonly sparsities?: readonly number[];
  /**
   * Unstructured targets of single pruners on this model, by pruner id, instead of the model's
   * `sparsities` (e.g. a method run at every sparsity on a model whose grid is reduced, or one
   * extra point for one method). A pruner not listed runs at the model's sparsities; an id that is
   * not among the model's pruners in a run is ignored. `--sparsities` replaces these too.
   */
  readonly prunerSparsities?: Readonly<Record<string, readonly number[]>>;
  /** This model's structured compression ratios instead of the suite's. */
  readonly compressions?: readonly number[];
  /** This model's evaluation data instead of the suite's (e.g. fewer images for an expensive head). */
  readonly evaluation?: EvaluationSpec;
  /** This model's recovery fine-tuning instead of the suite's (`false`: one-shot only for this model). */
  readonly recovery?: RecoverySpec | false;
}

/** The per-model fields of {@link SuiteModel} that override the suite's grid. */
export const MODEL_GRID_FIELDS = ['pruners', 'sparsities', 'prunerSparsities', 'compressions', 'evaluation', 'recovery'] as const;

/** Calibration batches handed to pruners that need them (Shapes-VL train split, or `--data-dir`). */
export interface CalibrationSpec {
  readonly batches: number;
  readonly batchSize: number;
}

/**
 * Training batches for pruners that train while pruning (`requires.training`, e.g. UPop's mask
 * search): `images` training examples from the cell's calibration offset, in batches of `batchSize`,
 * cycled as long as the pruner asks.
 */
export interface TrainSpec {
  readonly images: number;
  readonly batchSize: number;
}

/**
 * Validation data for pruners that evaluate a task metric while pruning (`requires.evaluator`,
 * e.g. MoPE's module-wise pruning error): the last `count` examples of the training split (never
 * the test split the cells are evaluated on, never the first examples used for calibration and
 * recovery), in batches of `batchSize`. The metric honours the run's structure gates: CLIP
 * image↔text R@1 within each batch, BLIP the negative task loss.
 */
export interface ValidationSpec {
  readonly count: number;
  readonly batchSize: number;
}

/** Held-out evaluation data per task (Shapes-VL test split, or `--data-dir`). */
export interface EvaluationSpec {
  /** Images per task (retrieval uses every caption of each image; VQA every question of each image). */
  readonly count: number;
  /** Images or texts per forward. */
  readonly batchSize: number;
}

/** Short recovery fine-tuning after pruning: masks fixed, the same steps for every method. */
export interface RecoverySpec {
  readonly steps: number;
  readonly batchSize: number;
  /** Peak AdamW learning rate (linear warm-up, cosine decay). */
  readonly learningRate: number;
  readonly warmupSteps: number;
  /** Distinct training images the pairs are drawn from. */
  readonly images: number;
}

/** A suite as written in TypeScript (see {@link defineSuite}). */
export interface SuiteInput {
  /** kebab-case id (`default`, `smoke`). */
  readonly id: string;
  readonly description: string;
  readonly models: readonly SuiteModel[];
  /** Pruner ids, or `'installed'` for every pruner of the installed registry. */
  readonly pruners: readonly string[] | 'installed';
  /** Config input per pruner id (defaults otherwise). */
  readonly prunerConfigs?: Readonly<Record<string, unknown>>;
  /** Target sparsities of prunable weights for unstructured and N:M pruners. */
  readonly sparsities: readonly number[];
  /** Compression ratios for structured pruners: c removes 1 − 1/c of the prunable parameters. */
  readonly compressions: readonly number[];
  readonly seeds: readonly number[];
  readonly calibration: CalibrationSpec;
  readonly evaluation: EvaluationSpec;
  /** Omit (or `false`) for one-shot numbers only. */
  readonly recovery?: RecoverySpec | false;
  /** Training batches for pruners that train while pruning (default {@link DEFAULT_TRAIN}). */
  readonly train?: TrainSpec;
  /** Validation data for pruners that evaluate while pruning (default {@link DEFAULT_VALIDATION}). */
  readonly validation?: ValidationSpec;
  /** Seed of the Shapes-VL dataset (default 0, the standard splits). */
  readonly datasetSeed?: number;
}

/** A validated, frozen suite. */
export interface Suite extends Omit<SuiteInput, 'recovery' | 'datasetSeed' | 'train' | 'validation'> {
  readonly recovery: RecoverySpec | false;
  readonly train: TrainSpec;
  readonly validation: ValidationSpec;
  readonly datasetSeed: number;
}

/** Default {@link TrainSpec}: 256 examples in batches of 32. */
export const DEFAULT_TRAIN: TrainSpec = Object.freeze({ images: 256, batchSize: 32 });

/** Default {@link ValidationSpec}: 128 pairs in one batch (one retrieval gallery of 128). */
export const DEFAULT_VALIDATION: ValidationSpec = Object.freeze({ count: 128, batchSize: 128 });
