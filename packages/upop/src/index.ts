export { upop, UPOP_MODALITIES } from './upop-pruner.js';
export { compressionWeightSchema, upopConfigDefaults, upopConfigSchema, type UpopConfig, type UpopConfigInput } from './upop-config.js';
export { UPOP_PAPER } from './paper.js';

export { cumulativeWeightThreshold, isUpdateStep, progressiveUpdate, zStandardize, type MaskKind, type ProgressiveUpdate, type RankingModule } from './ranking.js';
export { collectMaskGroups, type MaskGroup } from './mask-groups.js';
export { runSearch, type SearchOptions, type SearchResult } from './search.js';
export { VERSION } from './version.js';
export { retrainCompact, retrainOptionsSchema, type RetrainCompactArgs, type RetrainOptions, type RetrainOptionsInput, type RetrainResult } from './retrain-compact.js';
export { measureImageEncoderSpeedup, type ImageEncoderModel, type Speedup, type SpeedupOptions } from './image-encoder-speedup.js';
export { imageEncoderFlops, modelFlops, towerFlops, type AttentionGeometry, type FlopsModel, type ImageGeometry, type TowerGeometry } from './flops.js';
export { prunableParams } from './prunable-params.js';
export { trainDataSource, type TrainDataSourceOptions } from './train-data-source.js';
