import type { PrunableUnit, Structure, StructureMask, StructureSlice } from '../contract/view.js';
import { InvalidArgumentError } from '../errors/index.js';

function sample(items: readonly string[], n = 5): string {
  return items.length <= n ? items.join(', ') : `${items.slice(0, n).join(', ')}, … (${items.length} in all)`;
}

function zeroSlice(mask: Uint8Array, shape: readonly [number, number], slice: StructureSlice, owner: string): void {
  const [rows, cols] = shape;
  const limit = slice.axis === 'out' ? rows : cols;
  for (const index of slice.indices) {
    if (!Number.isInteger(index) || index < 0 || index >= limit) {
      throw new InvalidArgumentError({
        message: `Structure "${owner}" owns ${slice.axis === 'out' ? 'row' : 'column'} ${index} of unit "${slice.unit}", which has ${limit}; fix the view's structure list.`,
        tensor: slice.unit,
        expected: `integer in [0, ${limit})`,
        actual: index,
      });
    }
    if (slice.axis === 'out') mask.fill(0, index * cols, (index + 1) * cols);
    else for (let r = 0; r < rows; r++) mask[r * cols + index] = 0;
  }
}

/**
 * Converts a {@link StructureMask} into unit masks (1 keeps, 0 prunes; row-major over `[out, in]`):
 * every slice of every removed structure zeroes its rows (`axis: 'out'`) or columns (`axis: 'in'`).
 * Only touched units get a mask. Throws `VLP_INVALID_ARGUMENT` for an unknown structure id, a slice
 * naming an unknown unit, or an index out of range.
 */
export function structureMaskToUnitMasks(
  view: { readonly units: readonly PrunableUnit[]; readonly structures: readonly Structure[] },
  structureMask: StructureMask,
): Map<string, Uint8Array> {
  const units = new Map(view.units.map((u) => [u.name, u]));
  const structures = new Map(view.structures.map((s) => [s.id, s]));
  const masks = new Map<string, Uint8Array>();
  for (const id of structureMask.removed) {
    const structure = structures.get(id);
    if (!structure) {
      throw new InvalidArgumentError({
        message: `Unknown structure "${id}" in the structure mask; the view has ${sample([...structures.keys()])}.`,
        actual: id,
      });
    }
    for (const slice of structure.slices) {
      const unit = units.get(slice.unit);
      if (!unit) {
        throw new InvalidArgumentError({
          message: `Structure "${id}" owns a slice of unknown unit "${slice.unit}"; the view's units are ${sample([...units.keys()])}.`,
          tensor: slice.unit,
        });
      }
      let mask = masks.get(unit.name);
      if (!mask) {
        mask = new Uint8Array(unit.shape[0] * unit.shape[1]).fill(1);
        masks.set(unit.name, mask);
      }
      zeroSlice(mask, unit.shape, slice, id);
    }
  }
  return masks;
}
