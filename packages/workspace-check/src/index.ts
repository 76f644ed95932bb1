export { checkWorkspace, workspacePackageDirs } from './check-workspace.js';
export { checkPackageLayout, type Problem } from './check-package.js';
export { checkDependencies } from './check-dependencies.js';
export { LAYER_RULES, type LayerRule } from './layers.js';
export { listSourceFiles, vlpImports } from './source-files.js';
