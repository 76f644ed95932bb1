export { runPrunerConformance, CASE_GROUPS } from './conformance/run-conformance.js';
export type {
  ConformanceAssertion,
  ConformanceExpect,
  ConformanceHarness,
  ConformanceIt,
  ConformanceOptions,
  ConformanceTest,
  InvalidConfigCase,
} from './conformance/types.js';
export { ABORT_SLACK } from './cases/abort.js';
export { eventProblems } from './cases/events.js';
export { hashBytes, hashWeights } from './conformance/hash.js';
export { createSyntheticView, type SyntheticView, type SyntheticViewOptions } from './synthetic/view.js';
export { DEFAULT_DIMS, type SyntheticDims } from './synthetic/dims.js';
export { syntheticBatch, syntheticCalibration, type SyntheticBatch, type SyntheticBatchOptions } from './synthetic/batch.js';
export { syntheticTask, type SyntheticTaskOptions } from './synthetic/task.js';
export { randomPruner } from './pruners/random-pruner.js';
export { magnitudePruner } from './pruners/magnitude-pruner.js';
export {
  allocationConfigSchema,
  type Allocation,
  type AllocationConfig,
  type AllocationConfigInput,
  type StandardSchema,
} from './pruners/allocation-schema.js';
export { VERSION } from './version.js';
