export { ecoflap } from './ecoflap-pruner.js';
export {
  ecoflapConfigDefaults,
  ecoflapConfigSchema,
  type EcoflapConfig,
  type EcoflapConfigInput,
  type FineConfig,
  type FirstOrderConfig,
  type ZerothOrderConfig,
} from './ecoflap-config.js';
export { allocateKeep, groupSparsities, keepBudget, minimumKeep } from './allocate.js';
export { allocateOfficial, officialKeepBudget, type OfficialAllocation } from './allocate-official.js';
export { allocateGroups, coarseAllocation, resolveMaxSparsity, type CoarseOptions, type CoarseResult } from './coarse.js';
export { type GroupGranularity, type UnitGroup, groupOf, groupScores, groupUnits } from './groups.js';
export { firstOrderImportance, perturbedWeight, projectedGradient, symmetricInfoNce, zerothOrderImportance, type ImportanceKind } from './score.js';
export { rngNoise, zerothOrderGradients, type NoiseSource, type ZerothOrderDraw, type ZerothOrderGradients, type ZerothOrderOptions } from './zeroth-order.js';
export { contrastiveLogitsLoss, taskLoss, type LossAt } from './loss.js';
export { comparisonGroupOf, finePrune, unitTargets, type UnitTarget } from './fine.js';
export { pruneExactPerRow, pruneExactPerTensor, splitGroupBudget } from './unit-budget.js';
export { ECOFLAP_PAPER } from './paper.js';
export { VERSION } from './version.js';
