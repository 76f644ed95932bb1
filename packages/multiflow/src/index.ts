export { multiflow } from './multiflow-pruner.js';
export { multiflowConfigDefaults, multiflowConfigSchema, type MultiflowConfig, type MultiflowConfigInput } from './multiflow-config.js';
export { MULTIFLOW_PAPER, PAPER_SPARSITIES } from './paper.js';

export { edgeFlow, informationFlowScores, neuronImportance, type NeuronImportance } from './score.js';
export { multimodalPrior, type CountRule, type GroupPrior, type MultimodalPrior, type PriorUnit, type UnitAllocation } from './allocate.js';
export { informationFlowMask } from './mask.js';
export { kthSmallestMagnitude, type MagnitudeValue } from './kth-magnitude.js';
export { MULTIFLOW_MODALITIES, priorGroup } from './modality-groups.js';

export { collectActivationStatistics, type CollectActivationStatisticsOptions, type CollectedStatistics } from './calibrate.js';
export { type ActivationStatistic } from './statistic.js';
export {
  multiflowCalibration,
  multiflowCalibrationOptionsSchema,
  type MultiflowCalibrationOptions,
  type MultiflowCalibrationOptionsInput,
} from './multiflow-calibration.js';
export { VERSION } from './version.js';
