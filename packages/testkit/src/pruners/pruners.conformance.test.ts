import { describePrunerConformance } from '../vitest.js';
import { activationPruner, gateGradientPruner, nmMagnitudePruner } from '../__tests__/fixture-pruners.js';
import { magnitudePruner } from './magnitude-pruner.js';
import { randomPruner } from './random-pruner.js';

const options = {
  validConfigs: [{}, { allocation: 'per-unit' }, { allocation: 'global' }],
  invalidConfigs: [
    { config: { allocation: 'everywhere' }, path: ['allocation'] },
    { config: { allocation: 'per-unit', typo: 1 }, path: ['typo'] },
    { config: 'per-unit', path: [] },
  ],
};

describePrunerConformance(randomPruner(), options);
describePrunerConformance(magnitudePruner(), options);

// Fixtures that exercise the capability-gated cases (calibration, gradients + structured, N:M).
describePrunerConformance(activationPruner(), options);
describePrunerConformance(gateGradientPruner(), { ...options, validConfigs: [{}] });
describePrunerConformance(nmMagnitudePruner(), { ...options, sparsities: [0.5], nm: { n: 2, m: 4 } });
