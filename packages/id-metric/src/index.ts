export { idMetric } from './id-metric-pruner.js';
export { idMetricConfigDefaults, idMetricConfigSchema, type IdMetricConfig, type IdMetricConfigInput } from './id-metric-config.js';
export { idMetricIterative } from './id-iterative-pruner.js';
export { idIterativeConfigDefaults, idIterativeConfigSchema, type IdIterativeConfig, type IdIterativeConfigInput } from './id-iterative-config.js';

export { twoNNEstimate, slopeThroughOrigin, type DistanceMatrix, type TwoNNEstimate } from './twonn.js';
export { blockAnalysis, type BlockAnalysis, type BlockAnalysisOptions, type BlockAnalysisRow } from './block-analysis.js';
export { pairwiseDistances, type PairwiseDistanceOptions } from './pairwise-distances.js';
export { estimateIntrinsicDimension, type IntrinsicDimensionOptions } from './intrinsic-dimension.js';
export { collectRepresentations, type UnitRepresentation } from './collect-representations.js';
export { measureUnitIds, type MeasureUnitIdsOptions, type UnitId } from './unit-ids.js';
export { idReport, idsByUnit, type IdReport } from './id-report.js';
export { idPlotSvg } from './id-plot-svg.js';

export {
  disposePlatonState,
  idScaledScore,
  initialPlatonState,
  magnitudeSensitivity,
  platonScore,
  platonUpdate,
  taylorSensitivity,
  type PlatonOptions,
  type PlatonState,
} from './score.js';
export { officialThresholdMasks, type ThresholdMasks } from './mask.js';
export { scheduleOptions } from './schedule.js';
export { fineTuneAndPrune, type FineTuneResult } from './fine-tune-loop.js';
export { PAPER } from './paper.js';
export { VERSION } from './version.js';
