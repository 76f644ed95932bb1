/**
 * The method packages the benchmark compares next to the baselines: the ONE place to list them.
 * A listed package is used when it is installed (declared in benchmarks/package.json); one that is
 * not installed is skipped. Nothing is discovered by scanning node_modules. To add a method: add
 * its package to benchmarks/package.json and a line here naming its factory export.
 */
export const METHOD_PACKAGES: readonly { readonly packageName: string; readonly factory: string }[] = [
  { packageName: '@vlp/multiflow', factory: 'multiflow' },
  { packageName: '@vlp/ecoflap', factory: 'ecoflap' },
  { packageName: '@vlp/upop', factory: 'upop' },
  { packageName: '@vlp/mope', factory: 'mope' },
  { packageName: '@vlp/id-metric', factory: 'idMetric' },
  { packageName: '@vlp/id-metric', factory: 'idMetricIterative' },
];
