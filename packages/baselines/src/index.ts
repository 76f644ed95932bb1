export { baselinePruners } from './baseline-pruners.js';

export { random } from './random/random-pruner.js';
export { randomConfigDefaults, randomConfigSchema, type RandomConfig, type RandomConfigInput } from './random/random-config.js';
export { randomScores } from './random/score.js';

export { magnitude } from './magnitude/magnitude-pruner.js';
export { magnitudeConfigDefaults, magnitudeConfigSchema, type MagnitudeConfig, type MagnitudeConfigInput } from './magnitude/magnitude-config.js';
export { magnitudeScores } from './magnitude/score.js';

export { layerwiseL2Norm } from './layerwise-l2norm/layerwise-l2norm-pruner.js';
export { layerwiseL2NormConfigSchema, type LayerwiseL2NormConfig, type LayerwiseL2NormConfigInput } from './layerwise-l2norm/layerwise-l2norm-config.js';
export { l2NormalizedScores } from './layerwise-l2norm/score.js';

export { lamp } from './lamp/lamp-pruner.js';
export { lampConfigSchema, type LampConfig, type LampConfigInput } from './lamp/lamp-config.js';
export { lampScores } from './lamp/score.js';

export { snip } from './snip/snip-pruner.js';
export { snipConfigDefaults, snipConfigSchema, type SnipConfig, type SnipConfigInput } from './snip/snip-config.js';
export { normalizeSaliencies, snipScores } from './snip/score.js';
export { accumulateGradients } from './snip/accumulate-gradients.js';

export { iterSnip } from './itersnip/itersnip-pruner.js';
export { iterSnipConfigDefaults, iterSnipConfigSchema, type IterSnipConfig, type IterSnipConfigInput } from './itersnip/itersnip-config.js';
export { PRUNED_SCORE, iterSnipScores } from './itersnip/score.js';

export { wanda } from './wanda/wanda-pruner.js';
export { wandaConfigDefaults, wandaConfigSchema, type WandaConfig, type WandaConfigInput } from './wanda/wanda-config.js';
export { wandaMask, wandaScores, type WandaMaskOptions } from './wanda/score.js';

export { sparseGpt } from './sparsegpt/sparsegpt-pruner.js';
export { sparseGptConfigDefaults, sparseGptConfigSchema, type SparseGptConfig, type SparseGptConfigInput } from './sparsegpt/sparsegpt-config.js';
export { sparseGptPrune, type SparseGptOptions, type SparseGptResult } from './sparsegpt/score.js';
export { hessianFromGram } from './sparsegpt/hessian.js';
export { choleskyLower, inverseCholeskyUpper, invertLower } from './sparsegpt/cholesky.js';

export { granularitySchema, nmSparsity, type GranularityConfig, type NMPattern } from './common/granularity.js';
export { type Allocation, allocateMasks } from './common/allocate.js';
export {
  collectInputStatistics,
  type CollectInputStatisticsOptions,
  type InputStatistic,
  type InputStatisticKind,
  type TokenSelection,
} from './common/collect-input-statistics.js';
export { groupByBlock, pruneLayerwise, type LayerwiseOptions, type LayerwiseResult, type LayerwiseUnitResult } from './common/layerwise.js';
export { VERSION } from './version.js';
export { withDefaults, type ConfigSchema } from './common/with-defaults.js';
