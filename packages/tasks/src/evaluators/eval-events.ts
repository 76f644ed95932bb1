/** Progress of an evaluation. */
export type EvalEvent =
  | { readonly type: 'eval-start'; readonly task: string; readonly batches: number }
  | { readonly type: 'eval-batch-end'; readonly task: string; readonly index: number; readonly total: number }
  | { readonly type: 'eval-end'; readonly task: string; readonly durationMs: number };

/** Options every evaluator takes. */
export interface EvalOptions {
  /** Images (or texts) per forward. Default 64. */
  readonly batchSize?: number;
  /** Forward engine (default: `VLP_EXECUTOR`, else ONNX Runtime). */
  readonly engine?: 'onnx' | 'tfjs';
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: EvalEvent) => void;
}
