import type { PrunerCapabilities, PruneRequest } from '../contract/pruner.js';
import type { PrunableUnit, PrunableView } from '../contract/view.js';
import { InvalidArgumentError } from '../errors/index.js';

/**
 * The units a request covers: the view's units whose modality is in `request.scope.modalities`
 * (default: every modality the pruner supports). Throws `VLP_INVALID_ARGUMENT` when none is left.
 */
export function resolveScope(
  view: PrunableView<unknown>,
  capabilities: PrunerCapabilities,
  request: PruneRequest,
  prunerId: string,
): PrunableUnit[] {
  const modalities = request.scope?.modalities ?? capabilities.modalities;
  const units = view.units.filter((u) => modalities.includes(u.modality));
  if (units.length === 0) {
    const present = [...new Set(view.units.map((u) => u.modality))];
    throw new InvalidArgumentError({
      message:
        `No prunable units in scope: pruner "${prunerId}" would prune ${modalities.join(', ')}, ` +
        `but the ${view.architecture} view has units of ${present.join(', ') || 'no modality'}. ` +
        'Choose request.scope.modalities among those, or a pruner that supports them.',
      expected: modalities,
      actual: present,
    });
  }
  return units;
}
