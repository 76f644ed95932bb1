import type { Granularity, Modality } from '@vlp/core';
import type { TaskId } from '../suite/types.js';

/** Version of the `results.jsonl` / `cells/*.json` format; bumped on any incompatible change. */
export const RESULTS_SCHEMA_VERSION = 1 as const;

/** Metrics of each task of a cell, by task id then metric name. */
export type TaskMetrics = Partial<Record<TaskId, Readonly<Record<string, number>>>>;

/** One line of `results.jsonl`: everything measured for one finished cell. */
export interface CellResult {
  readonly schema: typeof RESULTS_SCHEMA_VERSION;
  /** Content hash of everything that determines the cell (see grid/cell-key.ts). */
  readonly key: string;
  /** `ok`, or `failed` with `error` (a failed cell is retried by `--resume`). */
  readonly status: 'ok' | 'failed';
  readonly suite: string;
  readonly model: { readonly id: string; readonly architecture: string; readonly sha256: string };
  readonly pruner: {
    readonly id: string;
    readonly version: string;
    readonly granularity: Granularity | 'dense';
    /** The parsed, defaults-filled config (null for dense). */
    readonly config: unknown;
  };
  readonly target: { readonly sparsity: number; readonly compression: number | null; readonly seed: number };
  /** Realised sparsity of the prunable weights, overall and per modality (null for dense or failed). */
  readonly sparsity: { readonly overall: number; readonly perModality: Partial<Record<Modality, number>> } | null;
  /** Parameters of the whole model; `nonzeroAfter` counts the ones not zeroed. */
  readonly params: { readonly before: number; readonly after: number; readonly nonzeroAfter: number } | null;
  /**
   * Forward FLOPs per example: `after` is what dense kernels execute (equal to `before` for masks;
   * smaller after structured compaction), `effectiveAfter` skips zeroed weights (theoretical).
   */
  readonly flops: { readonly before: number; readonly after: number; readonly effectiveAfter: number } | null;
  /** One-shot (right after pruning) and recovered (after the fine-tuning; null when off or dense). */
  readonly metrics: { readonly oneShot: TaskMetrics; readonly recovered: TaskMetrics | null };
  /** The primary metric of each task. */
  readonly primary: Partial<Record<TaskId, string>>;
  readonly recovery: { readonly steps: number; readonly firstLoss: number; readonly lastLoss: number } | null;
  /** Wall times in ms: `prune` is the pruner call (calibration included). */
  readonly timings: { readonly pruneMs: number; readonly evaluateMs: number; readonly recoveryMs: number; readonly totalMs: number };
  /** Peak resident set size sampled during the cell, the process's lifetime peak, and tfjs tensors left. */
  readonly memory: { readonly peakRssBytes: number; readonly processMaxRssBytes: number; readonly tfjsTensors: number };
  /** Engines: forward work (evaluation, calibration) and gradient work (SNIP, recovery). */
  readonly engine: { readonly forward: 'onnx' | 'tfjs'; readonly gradients: 'tfjs' };
  /** The tfjs backend (`wasm`, `tensorflow`, `cpu`). */
  readonly backend: string;
  /** `masks/<key>.safetensors`, relative to the run directory (null for dense or failed). */
  readonly masks: string | null;
  readonly error?: { readonly code: string; readonly message: string };
  /**
   * What the pruner itself reported (`PruneReport.timings` in ms and `.metrics`), e.g. ECoFLaP's
   * `stage1`/`stage2` times and `stage1PeakTensorBytes`; absent for dense and failed cells (and in
   * records written before this field existed).
   */
  readonly prunerReport?: { readonly timings: Readonly<Record<string, number>>; readonly metrics: Readonly<Record<string, number>> };
  readonly finishedAt: string;
}

/** One prunable unit's realised sparsity (kept in `cells/<key>.json`, plotted per layer). */
export interface UnitLine {
  readonly unit: string;
  readonly modality: Modality;
  readonly blockId: string;
  readonly role: string;
  readonly numel: number;
  readonly sparsity: number;
  readonly target?: number;
}

/** What `cells/<key>.json` holds: the result line plus the per-unit sparsities. */
export interface CellRecord extends CellResult {
  readonly perUnit: readonly UnitLine[];
}

/** The `results.jsonl` line of a cell record (per-unit data left out). */
export function resultLine(record: CellRecord): CellResult {
  const { perUnit: _perUnit, ...line } = record;
  return line;
}
