/**
 * Typed progress events (noun-verb names, `end` never `finish`). Libraries never print: they emit
 * these through `ctx.emit`; the CLI turns them into progress bars or JSONL.
 */
export type PruneEvent =
  | { readonly type: 'prune-start'; readonly pruner: string; readonly sparsity: number }
  | { readonly type: 'calibration-start'; readonly batches?: number }
  | { readonly type: 'calibration-batch-end'; readonly index: number; readonly total?: number }
  | { readonly type: 'calibration-end'; readonly batches: number }
  | { readonly type: 'unit-score-start'; readonly unit: string; readonly index: number; readonly total: number }
  | { readonly type: 'unit-score-end'; readonly unit: string; readonly index: number; readonly total: number }
  | { readonly type: 'step-end'; readonly step: number; readonly total: number; readonly loss?: number }
  | { readonly type: 'mask-end'; readonly units: number }
  | { readonly type: 'prune-end'; readonly realisedSparsity: number; readonly durationMs: number }
  | { readonly type: 'warning'; readonly message: string }
  | { readonly type: 'deprecation'; readonly option: string; readonly message: string };

export type PruneEventType = PruneEvent['type'];

/** Event sink. Must not throw; must be cheap. */
export type Emit = (event: PruneEvent) => void;
