import type { EvaluationSpec, ModelPruners, RecoverySpec, Suite, SuiteModel } from './types.js';

/** The grid one model runs: the suite's settings with the model's own overrides applied. */
export interface ModelGrid {
  /** The model's pruner selection; undefined: every pruner of the suite. */
  readonly pruners: ModelPruners | undefined;
  readonly sparsities: readonly number[];
  /** Per-pruner targets replacing `sparsities` for those pruners (the model's own only; none by default). */
  readonly prunerSparsities?: Readonly<Record<string, readonly number[]>>;
  readonly compressions: readonly number[];
  readonly evaluation: EvaluationSpec;
  readonly recovery: RecoverySpec | false;
}

/**
 * The settings `model` runs with: each grid field the model gives replaces the suite's, the others
 * are the suite's own values (the same objects, so cell keys of models without overrides are
 * computed from exactly what they were computed from before per-model overrides existed).
 */
export function modelGrid(suite: Pick<Suite, 'sparsities' | 'compressions' | 'evaluation' | 'recovery'>, model: SuiteModel): ModelGrid {
  return {
    pruners: model.pruners,
    sparsities: model.sparsities ?? suite.sparsities,
    ...(model.prunerSparsities === undefined ? {} : { prunerSparsities: model.prunerSparsities }),
    compressions: model.compressions ?? suite.compressions,
    evaluation: model.evaluation ?? suite.evaluation,
    recovery: model.recovery ?? suite.recovery,
  };
}

/**
 * The ids of `suitePrunerIds` that run on a model with this pruner selection, in the suite's order
 * (a model's list picks from the suite's pruners; `{ exclude }` removes ids, unknown ones ignored).
 */
export function modelPrunerIds(pruners: ModelPruners | undefined, suitePrunerIds: readonly string[]): string[] {
  if (pruners === undefined) return [...suitePrunerIds];
  if (Array.isArray(pruners)) return suitePrunerIds.filter((id) => pruners.includes(id));
  const { exclude } = pruners as { readonly exclude: readonly string[] };
  return suitePrunerIds.filter((id) => !exclude.includes(id));
}
