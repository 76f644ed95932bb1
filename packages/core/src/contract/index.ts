export type {
  Engine,
  MaskSet,
  Modality,
  PrunableUnit,
  PrunableView,
  RunOptions,
  RunResult,
  Structure,
  StructureKind,
  StructureMask,
  StructureSlice,
  TapSpec,
  TapValue,
  UnitRole,
} from './view.js';
export type { Emit, PruneEvent, PruneEventType } from './events.js';
export type { Rng } from './rng.js';
export {
  SPECIFICATION_VERSION,
  type AnyPruner,
  type CalibrationSource,
  type Granularity,
  type PaperReference,
  type PruneContext,
  type PruneRequest,
  type PruneResult,
  type Pruner,
  type PrunerCapabilities,
  type TaskAdapter,
} from './pruner.js';
export { throwIfAborted } from './abort.js';
