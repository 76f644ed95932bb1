export { mope, MOPE_MODALITIES } from './mope-pruner.js';
export { mopeConfigDefaults, mopeConfigSchema, type MopeConfig, type MopeConfigInput } from './mope-config.js';
export { MOPE_PAPER } from './paper.js';

export { countingMetric, lowestMope, moduleWisePruningErrors, type CountingMetric, type GatedMetric, type MetricStats, type MopeOptions } from './score.js';
export { gateKey, openGates, withClosed, type GateValues } from './gates.js';
export { gateGroupSizes, mopeModules, ownedWeights, type MopeModule, type MopeModuleKind } from './modules.js';
export { planRemoval, type MopePlan } from './allocate.js';
export { taskMetric, type TaskMetricOptions } from './task-metric.js';
export { gatedRetrievalTask, gatedZeroShotTask, type GatedRetrievalTaskOptions, type ZeroShotBatch } from './gated-tasks.js';
export { VERSION } from './version.js';
