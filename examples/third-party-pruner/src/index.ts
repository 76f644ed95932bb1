export { rowNorm } from './row-norm-pruner.js';
export { rowNormConfigSchema, type RowNormConfig, type RowNormConfigInput } from './row-norm-config.js';
export { rowNormalizedScores } from './score.js';
