export { upop, UPOP_MODALITIES } from './upop-pruner.js';
export { compressionWeightSchema, upopConfigDefaults, upopConfigSchema, type UpopConfig, type UpopConfigInput } from './upop-config.js';
export { UPOP_PAPER } from './paper.js';

export { cumulativeWeightThreshold, isUpdateStep, progressiveUpdate, zStandardize, type MaskKind, type ProgressiveUpdate, type RankingModule } from './ranking.js';
export { collectMaskGroups, type MaskGroup } from './mask-groups.js';
export { runSearch, type SearchOptions, type SearchResult } from './search.js';
export { VERSION } from './version.js';
