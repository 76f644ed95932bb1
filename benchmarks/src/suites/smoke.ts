import { defineSuite } from '../suite/define-suite.js';

/**
 * A quick check that everything runs end to end (well under 2 minutes on 2 cores): three pruners,
 * one sparsity, small evaluation sets, two recovery steps.
 */
export const smokeSuite = defineSuite({
  id: 'smoke',
  description: 'Random, magnitude and Wanda at 0.5 on tiny-clip with small evaluation sets and two recovery steps.',
  models: [{ id: 'tiny-clip', model: { kind: 'embedded', name: 'tiny-clip' }, tasks: ['zero-shot', 'retrieval'] }],
  pruners: ['random', 'magnitude', 'wanda'],
  sparsities: [0.5],
  compressions: [2],
  seeds: [0],
  calibration: { batches: 1, batchSize: 16 },
  evaluation: { count: 100, batchSize: 250 },
  recovery: { steps: 2, batchSize: 16, learningRate: 1e-4, warmupSteps: 0, images: 64 },
});
