import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AnyPruner, definePruner, type Structure } from '@vlp/core';
import { defineSuite } from '../suite/define-suite.js';
import { hfFixturesDir } from '../suite/repo-root.js';
import type { Suite, SuiteInput } from '../suite/types.js';

/** `../shared/fixtures/hf/<name>`. */
export const fixture = (name: string): string => path.join(hfFixturesDir(), name);

/** A fresh directory under the OS temp dir; `cleanup()` removes it. */
export function tempDir(prefix = 'vlp-bench-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A tiny suite on the clip-tiny fixture: seconds per run. */
export function tinySuite(overrides: Partial<SuiteInput> = {}): Suite {
  return defineSuite({
    id: 'tiny',
    description: 'test suite on the clip-tiny fixture',
    models: [{ id: 'clip-tiny', model: { kind: 'fixture', path: 'clip-tiny' }, tasks: ['zero-shot', 'retrieval'] }],
    pruners: ['random', 'magnitude'],
    sparsities: [0.5],
    compressions: [2],
    seeds: [0],
    calibration: { batches: 1, batchSize: 8 },
    evaluation: { count: 8, batchSize: 64 },
    recovery: { steps: 1, batchSize: 4, learningRate: 1e-4, warmupSteps: 0, images: 8 },
    ...overrides,
  });
}

const anyConfig: AnyPruner['configSchema'] = {
  '~standard': { version: 1, vendor: 'vlp-bench-test', validate: (value: unknown) => ({ value: value ?? {} }) },
};

/**
 * A structured test pruner: removes attention heads and MLP neurons in index order, spread over
 * every block (never all heads or neurons of one), until the removed structures' parameters reach the target (no scoring at all).
 */
export function headsAndNeuronsPruner(): AnyPruner {
  return definePruner({
    id: 'test-structured',
    displayName: 'Test structured',
    version: '0.0.0',
    configSchema: anyConfig,
    capabilities: {
      architectures: '*',
      modalities: ['vision', 'text', 'fusion'],
      granularity: 'structured',
      structures: ['head', 'neuron'],
      requires: { calibration: false, gradients: false, training: false, evaluator: false },
    },
    async prune(view, request) {
      const total = view.units.reduce((s, u) => s + u.shape[0] * u.shape[1], 0);
      const groupSize = new Map<string, number>();
      for (const s of view.structures) groupSize.set(s.gate.group, (groupSize.get(s.gate.group) ?? 0) + 1);
      // never a whole attention or MLP: at most half of the heads and 90 % of the neurons of a block
      const allowed = (s: Structure) => s.gate.index < (groupSize.get(s.gate.group) ?? 0) * (s.kind === 'head' ? 0.5 : 0.9);
      const candidates = view.structures
        .filter((s: Structure) => (s.kind === 'head' || s.kind === 'neuron') && allowed(s))
        .sort((a, b) => a.gate.index - b.gate.index || a.id.localeCompare(b.id));
      const removed: string[] = [];
      let params = 0;
      for (const s of candidates) {
        if (params >= request.sparsity * total) break;
        removed.push(s.id);
        params += s.params;
      }
      return { structureMask: { removed } };
    },
  });
}
