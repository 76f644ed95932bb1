import path from 'node:path';
import { readModelConfig } from '@vlp/models';
import { adapterFor } from '../adapters/adapter-for.js';
import { defineSuite } from './define-suite.js';
import type { RecoverySpec, Suite, SuiteModel } from './types.js';

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

/** `--recovery-steps n` applied to recovery settings (0 turns recovery off; a suite or model without recovery keeps none). */
function withSteps(recovery: RecoverySpec | false, steps: number | undefined): RecoverySpec | false {
  if (steps === undefined) return recovery;
  if (steps === 0 || !recovery) return false;
  return { ...recovery, steps, warmupSteps: Math.min(recovery.warmupSteps, steps - 1) };
}

/**
 * A model with the command line's flags applied to its own grid overrides: a flag that sets a
 * grid dimension (`--pruners`, `--sparsities`, `--compressions`) applies to every model, so it
 * replaces the model's own value (`--sparsities` its `prunerSparsities` too); `--recovery-steps` changes the steps of the model's own recovery
 * like the suite's (0 turns it off).
 */
function modelWithFlags(m: SuiteModel, o: SuiteOverrides): SuiteModel {
  const { pruners, sparsities, prunerSparsities, compressions, recovery, ...rest } = m;
  return {
    ...rest,
    ...(pruners === undefined || o.pruners !== undefined ? {} : { pruners }),
    ...(sparsities === undefined || o.sparsities !== undefined ? {} : { sparsities }),
    ...(prunerSparsities === undefined || o.sparsities !== undefined ? {} : { prunerSparsities }),
    ...(compressions === undefined || o.compressions !== undefined ? {} : { compressions }),
    ...(recovery === undefined ? {} : { recovery: withSteps(recovery, o.recoverySteps) }),
  };
}

/**
 * The suite with the command line's overrides applied and validated again (`BenchUsageError` on
 * bad values). Flags apply to every model: they also replace a model's own value for that setting.
 */
export function applyOverrides(suite: Suite, o: SuiteOverrides, cwd = process.cwd()): Suite {
  const taken = new Set<string>();
  const recovery = withSteps(suite.recovery, o.recoverySteps);
  return defineSuite({
    ...suite,
    models: o.modelDirs?.length ? o.modelDirs.map((d) => modelFromDir(d, cwd, taken)) : suite.models.map((m) => modelWithFlags(m, o)),
    pruners: o.pruners ?? suite.pruners,
    sparsities: o.sparsities ?? suite.sparsities,
    compressions: o.compressions ?? suite.compressions,
    seeds: o.seeds ?? suite.seeds,
    recovery,
  });
}
