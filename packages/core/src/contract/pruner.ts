import type { StandardSchemaV1 } from '@standard-schema/spec';
import type * as tf from '@tensorflow/tfjs';
import type { Emit } from './events.js';
import type { Rng } from './rng.js';
import type { Modality, MaskSet, PrunableView, RunOptions, StructureKind, StructureMask } from './view.js';

/** The version of this contract. Bumped (major) on any breaking change. */
export const SPECIFICATION_VERSION = 'v1' as const;

/** How a pruner removes weights. */
export type Granularity = 'unstructured' | 'n:m' | 'structured';

/** What a pruner can do and what it needs (the abstract-level `supports` role). */
export interface PrunerCapabilities {
  /** Architectures it supports (`clip`, `blip-itm`, ...), or `'*'` for any prunable view. */
  readonly architectures: readonly string[] | '*';
  /** Modalities it prunes. */
  readonly modalities: readonly Modality[];
  readonly granularity: Granularity;
  /** Structure kinds it removes (structured pruners). */
  readonly structures?: readonly StructureKind[];
  readonly requires: {
    /** Needs `ctx.calibration`. */
    readonly calibration: boolean;
    /** Needs gradients (`ctx.task.loss` on the tfjs engine). */
    readonly gradients: boolean;
    /** Trains weights (needs `ctx.task.loss`). */
    readonly training: boolean;
    /** Needs `ctx.task.evaluate`. */
    readonly evaluator: boolean;
  };
  /**
   * Largest accepted |realised − requested| sparsity over all prunable weights. Defaults: 0.01
   * for unstructured and n:m, 0.05 for structured (whole heads/neurons are coarse).
   */
  readonly sparsityTolerance?: number;
}

/** The paper a pruner implements. */
export interface PaperReference {
  readonly title: string;
  readonly venue: string;
  readonly year: number;
  readonly url: string;
}

/** What to prune. */
export interface PruneRequest {
  /**
   * Target in [0, 1): fraction of prunable weights set to zero (unstructured, n:m), or fraction of
   * prunable parameters removed (structured).
   */
  readonly sparsity: number;
  /** Root seed of every random choice of this run. */
  readonly seed: number;
  /** Restrict pruning to these modalities (default: all the pruner supports). */
  readonly scope?: { readonly modalities?: readonly Modality[] };
}

/** A source of calibration batches; `batches()` may be called more than once. */
export interface CalibrationSource<Batch = unknown> {
  batches(): AsyncIterable<Batch>;
  /** Number of batches, when known. */
  readonly size?: number;
}

/** The task: a loss for gradients/training and an evaluator for metric-driven pruners. */
export interface TaskAdapter<Batch = unknown> {
  readonly id: string;
  /** Scalar loss of one batch; must be differentiable on the tfjs engine. The caller owns the result. */
  loss?(view: PrunableView<Batch>, batch: Batch, options?: RunOptions): tf.Scalar | Promise<tf.Scalar>;
  /** Metrics on the task's held-out data; `primaryMetric` names the one to maximise. */
  evaluate?(view: PrunableView<Batch>, options?: RunOptions): Promise<Record<string, number>>;
  readonly primaryMetric?: string;
  /** Batches for training or gradient estimation. */
  readonly train?: CalibrationSource<Batch>;
}

/** What `prune()` hands to the pruner. */
export interface PruneContext<Config, Batch = unknown> {
  /** The parsed, defaults-filled config. */
  readonly config: Config;
  readonly calibration?: CalibrationSource<Batch>;
  readonly task?: TaskAdapter<Batch>;
  /** Seeded from `request.seed`, split per pruner id. */
  readonly rng: Rng;
  readonly signal: AbortSignal;
  readonly emit: Emit;
  /** The tfjs backend name in use (`wasm`, `tensorflow`, `cpu`, ...). */
  readonly backend: string;
}

/** What a pruner returns: masks (unstructured, n:m) or a structure mask (structured). */
export interface PruneResult {
  readonly masks?: MaskSet;
  readonly structureMask?: StructureMask;
  /** Per-unit target sparsity the pruner aimed at (for the report). */
  readonly targets?: ReadonlyMap<string, number>;
  /** Updated surviving weights (e.g. SparseGPT), applied by `prune()` with `view.setWeights`. */
  readonly weights?: ReadonlyMap<string, Float32Array>;
  /** Named durations in milliseconds (`calibration`, `scoring`, ...). */
  readonly timings?: Readonly<Record<string, number>>;
  /** Peak memory figures or other method-specific numbers for the report. */
  readonly metrics?: Readonly<Record<string, number>>;
  /** Human-readable remarks (e.g. a documented deviation that applied). */
  readonly notes?: readonly string[];
}

/**
 * A pruning method. Plain object made by a factory (`multiflow()`), never a class instance;
 * registered explicitly. Implementers receive a validated config and a validated request.
 */
export interface Pruner<Config = unknown, ConfigInput = Config, Batch = unknown> {
  readonly specificationVersion: typeof SPECIFICATION_VERSION;
  /** kebab-case id, unique in a registry. */
  readonly id: string;
  readonly displayName: string;
  /** Semver of the implementing package. */
  readonly version: string;
  readonly paper?: PaperReference;
  /** Standard Schema of the config (zod 4 in first-party packages). */
  readonly configSchema: StandardSchemaV1<ConfigInput, Config>;
  readonly capabilities: PrunerCapabilities;
  prune(view: PrunableView<Batch>, request: PruneRequest, ctx: PruneContext<Config, Batch>): Promise<PruneResult>;
}

/** Any pruner, for registries and lists. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPruner = Pruner<any, any, any>;
