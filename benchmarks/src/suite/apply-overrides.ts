import path from 'node:path';
import { readModelConfig } from '@vlp/models';
import { adapterFor } from '../adapters/adapter-for.js';
import { defineSuite } from './define-suite.js';
import type { Suite, SuiteModel } from './types.js';

/** Command-line changes to a suite. */
export interface SuiteOverrides {
  readonly pruners?: readonly string[] | 'installed';
  readonly sparsities?: readonly number[];
  readonly compressions?: readonly number[];
  readonly seeds?: readonly number[];
  /** Replace the suite's models by these checkpoint directories (each on every task of its architecture). */
  readonly modelDirs?: readonly string[];
  /** Recovery fine-tuning steps; 0 turns recovery off. */
  readonly recoverySteps?: number;
}

function modelFromDir(dir: string, cwd: string, taken: Set<string>): SuiteModel {
  const abs = path.resolve(cwd, dir);
  const raw = readModelConfig(abs);
  const hf = Array.isArray(raw.architectures) ? String(raw.architectures[0]) : String(raw.model_type);
  const adapter = adapterFor(hf, abs);
  const base = (path.basename(abs).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'model');
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  taken.add(id);
  return { id, model: { kind: 'dir', path: abs }, tasks: adapter.tasks };
}

/** The suite with the command line's overrides applied and validated again (`BenchUsageError` on bad values). */
export function applyOverrides(suite: Suite, o: SuiteOverrides, cwd = process.cwd()): Suite {
  const taken = new Set<string>();
  const recovery = o.recoverySteps === undefined ? suite.recovery : o.recoverySteps === 0 ? false : suite.recovery ? { ...suite.recovery, steps: o.recoverySteps, warmupSteps: Math.min(suite.recovery.warmupSteps, o.recoverySteps - 1) } : false;
  return defineSuite({
    ...suite,
    models: o.modelDirs?.length ? o.modelDirs.map((d) => modelFromDir(d, cwd, taken)) : suite.models,
    pruners: o.pruners ?? suite.pruners,
    sparsities: o.sparsities ?? suite.sparsities,
    compressions: o.compressions ?? suite.compressions,
    seeds: o.seeds ?? suite.seeds,
    recovery,
  });
}
