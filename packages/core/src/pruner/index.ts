export { definePruner, PRUNER_ID_PATTERN, SEMVER_PATTERN, type PrunerDefinition } from './define-pruner.js';
export { createPrunerRegistry, type PrunerRegistry } from './registry.js';
export { prune } from './prune.js';
export type { PruneOptions } from './prune-options.js';
export type { PruneReport } from './prune-report.js';
export { structureMaskToUnitMasks } from './structure-masks.js';
export { formatIssuePath, issuePath, validateStandard } from './validate.js';
