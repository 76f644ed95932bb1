import type { PruneRequest } from '../contract/pruner.js';
import type { MaskSet, StructureMask } from '../contract/view.js';
import type { SparsityReport } from '../masks/index.js';

/** What {@link prune} returns: everything needed to record and reproduce the run. */
export interface PruneReport<Config = unknown> {
  readonly pruner: { readonly id: string; readonly version: string };
  /** The parsed, defaults-filled config the pruner ran with. */
  readonly config: Config;
  readonly request: PruneRequest;
  /** Unit masks (1 keeps, 0 prunes); a structure mask is converted to unit masks. */
  readonly masks: MaskSet;
  readonly structureMask?: StructureMask;
  /** Sparsity over the units in the request's scope, with the pruner's per-unit targets. */
  readonly sparsity: SparsityReport;
  /** The accepted |realised − requested| sparsity. */
  readonly tolerance: number;
  /** The pruner's named durations plus `prune` (the pruner call), `apply` and `total`, in ms. */
  readonly timings: Readonly<Record<string, number>> & { readonly total: number };
  readonly metrics: Readonly<Record<string, number>>;
  readonly notes: readonly string[];
  /** Number of events emitted, `prune-start` and `prune-end` included. */
  readonly events: number;
  /** Whether the masks (and updated weights) were applied to the view. */
  readonly applied: boolean;
  /** The tfjs backend the pruner was told it runs on. */
  readonly backend: string;
}
