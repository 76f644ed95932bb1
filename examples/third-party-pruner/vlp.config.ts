// vlp.config.ts — registers this package's pruner with the `vlp` command in this directory:
//   vlp list                                   (row-norm appears with source "vlp.config")
//   vlp prune --model embedded:tiny-clip --pruner row-norm --sparsity 0.5 --out pruned/
//   vlp bench run --suite row-norm-smoke              (the suite below)
//   vlp bench run --suite smoke --pruners row-norm,magnitude
// In your own project, import the published package instead: `import { rowNorm } from 'vlp-pruner-row-norm'`.
import type { VlpConfig } from '@vlp/cli';
import { rowNorm } from './src/index.js';

export default {
  pruners: [rowNorm()],
  // A suite is validated by defineSuite() from @vlp/bench when vlp loads it; a plain object is enough.
  suites: [
    {
      id: 'row-norm-smoke',
      description: 'row-norm against magnitude at 0.5 on tiny-clip, one-shot, small evaluation sets.',
      models: [{ id: 'tiny-clip', model: { kind: 'embedded', name: 'tiny-clip' }, tasks: ['zero-shot', 'retrieval'] }],
      pruners: ['row-norm', 'magnitude'],
      sparsities: [0.5],
      compressions: [],
      seeds: [0],
      calibration: { batches: 1, batchSize: 16 },
      evaluation: { count: 50, batchSize: 50 },
    },
  ],
} satisfies VlpConfig;
