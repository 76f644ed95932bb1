import { SPECIFICATION_VERSION, type AnyPruner } from '../contract/pruner.js';
import type { PrunableView } from '../contract/view.js';
import { InvalidArgumentError } from '../errors/index.js';

/** Throws `VLP_INVALID_ARGUMENT` unless `view` looks like a {@link PrunableView}. */
export function checkView(view: unknown): void {
  const v = view as Partial<PrunableView<unknown>> | null;
  const missing: string[] = [];
  if (typeof v !== 'object' || v === null) missing.push('an object');
  else {
    if (typeof v.architecture !== 'string') missing.push('architecture');
    if (!Array.isArray(v.units)) missing.push('units');
    if (!Array.isArray(v.structures)) missing.push('structures');
    for (const fn of ['weight', 'run', 'applyMasks'] as const) if (typeof v[fn] !== 'function') missing.push(`${fn}()`);
  }
  if (missing.length > 0) {
    throw new InvalidArgumentError({
      message: `prune(pruner, view, ...) needs a PrunableView (from @vlp/models, or createSyntheticView() in @vlp/testkit); missing: ${missing.join(', ')}.`,
      expected: 'PrunableView',
    });
  }
}

/** Throws `VLP_INVALID_ARGUMENT` unless `pruner` looks like a v1 {@link Pruner} (as `definePruner` makes). */
export function checkPruner(pruner: unknown): void {
  const p = pruner as Partial<AnyPruner> | null;
  const ok =
    typeof p === 'object' &&
    p !== null &&
    p.specificationVersion === SPECIFICATION_VERSION &&
    typeof p.id === 'string' &&
    typeof p.prune === 'function' &&
    typeof p.capabilities === 'object' &&
    typeof p.configSchema?.['~standard']?.validate === 'function';
  if (!ok) {
    throw new InvalidArgumentError({
      message:
        `prune(pruner, ...) needs a ${SPECIFICATION_VERSION} Pruner object made with definePruner(); ` +
        'pass the result of the factory (e.g. magnitude()), not the factory itself.',
      expected: SPECIFICATION_VERSION,
      actual: p?.specificationVersion,
    });
  }
}
