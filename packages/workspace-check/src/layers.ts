/**
 * The dependency direction of DESIGN.md:
 * `core` ← `models`, `data` ← `tasks` ← `zoo`, `testkit` ← `baselines` ← methods ← `bench`, `cli`.
 * A package's runtime code may import only the packages listed for it; its tests may also import
 * the `dev` list (e.g. a method's tests load models from `@vlp/zoo` and run `@vlp/testkit`).
 * Never sideways between methods.
 */
const METHODS = ['@vlp/multiflow', '@vlp/ecoflap', '@vlp/upop', '@vlp/mope', '@vlp/id-metric'] as const;
const BELOW_METHODS = ['@vlp/core', '@vlp/models', '@vlp/data', '@vlp/tasks', '@vlp/zoo', '@vlp/testkit', '@vlp/baselines'];

export interface LayerRule {
  readonly runtime: readonly string[];
  readonly dev: readonly string[];
}

export const LAYER_RULES: Readonly<Record<string, LayerRule>> = {
  '@vlp/core': { runtime: [], dev: [] },
  '@vlp/models': { runtime: ['@vlp/core'], dev: [] },
  '@vlp/data': { runtime: ['@vlp/core'], dev: [] },
  '@vlp/tasks': { runtime: ['@vlp/core', '@vlp/models', '@vlp/data'], dev: [] },
  '@vlp/zoo': { runtime: ['@vlp/core', '@vlp/models', '@vlp/data', '@vlp/tasks'], dev: [] },
  '@vlp/testkit': { runtime: ['@vlp/core', '@vlp/models', '@vlp/data', '@vlp/tasks'], dev: ['@vlp/zoo'] },
  '@vlp/baselines': { runtime: ['@vlp/core', '@vlp/tasks'], dev: ['@vlp/models', '@vlp/data', '@vlp/zoo', '@vlp/testkit'] },
  ...Object.fromEntries(
    METHODS.map((m) => [m, { runtime: ['@vlp/core', '@vlp/baselines', '@vlp/tasks'], dev: ['@vlp/models', '@vlp/data', '@vlp/zoo', '@vlp/testkit'] }]),
  ),
  '@vlp/bench': { runtime: [...BELOW_METHODS, ...METHODS], dev: [] },
  '@vlp/cli': { runtime: [...BELOW_METHODS, ...METHODS, '@vlp/bench'], dev: [] },
  '@vlp/workspace-check': { runtime: [], dev: [] },
};

/**
 * Third-party pruner packages (`examples/*`, named `vlp-pruner-<name>`): at run time they import only
 * the contract in `@vlp/core`; their tests run `@vlp/testkit` and their `vlp.config.ts` may name
 * `@vlp/cli` types. Never a method package or the benchmark.
 */
export const EXAMPLE_PLUGIN_RULE: LayerRule = { runtime: ['@vlp/core'], dev: ['@vlp/testkit', '@vlp/cli'] };
