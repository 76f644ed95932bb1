export { mope, MOPE_MODALITIES } from './mope-pruner.js';
export { mopeConfigDefaults, mopeConfigSchema, type MopeConfig, type MopeConfigInput } from './mope-config.js';
export { MOPE_PAPER } from './paper.js';

export { countingMetric, lowestMope, moduleWisePruningErrors, type CountingMetric, type GatedMetric, type MetricStats, type MopeOptions } from './score.js';
export { gateKey, openGates, withClosed, type GateValues } from './gates.js';
export { gateGroupSizes, mopeModules, ownedWeights, type MopeModule, type MopeModuleKind } from './modules.js';
export { encoderOf, fitRemoval, planRemoval, selectLayers, selectWidth, type MopePlan } from './allocate.js';
export { gateTensors, taskMetric, type TaskMetricOptions } from './task-metric.js';
export { gatedRetrievalTask, gatedZeroShotTask, towerSource, type GatedRetrievalTaskOptions, type MopeTowerSource, type ZeroShotBatch } from './gated-tasks.js';
export { BLIP_ITC_TOWERS, gatedBlipItcTask, type BlipItcBatch, type GatedBlipItcTaskOptions } from './blip-itc-task.js';
export { towerMetricValue, towerRetrievalMetric, type TowerLayout, type TowerMetric, type TowerStats, type TwoTowerBatch } from './tower-cache.js';
export { mopeMagnitude, moduleL1, mopeMagnitudeConfigSchema, type MopeMagnitudeConfig, type MopeMagnitudeConfigInput } from './magnitude-pruner.js';
export { distillTerms, hiddenStatePairs, mopeDistill, type HiddenStatePair, type MopeDistillOptions } from './distill.js';
export { VERSION } from './version.js';
