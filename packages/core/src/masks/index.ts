export { kForSparsity } from './k-for-sparsity.js';
export { isNMPattern } from './nm-pattern.js';
export { pruneLowestGlobal } from './prune-global.js';
export { pruneLowest } from './prune-lowest.js';
export { type PruneGroup, pruneLowestPerGroup } from './prune-per-group.js';
export { pruneLowestPerRow } from './prune-per-row.js';
export { pruneNM } from './prune-nm.js';
export {
  type SparsityCounts,
  type SparsityReport,
  type UnitSparsity,
  countPruned,
  sparsityReport,
} from './sparsity.js';
export type { CountRounding, ScoreArray } from './validate.js';
export * from './mask-io.js';
