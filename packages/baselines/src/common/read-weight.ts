import { throwIfAborted, type PrunableUnit, type PrunableView } from '@vlp/core';

/**
 * A private copy of a unit's weight, `[out, in]` row-major. Checks `signal` first, so a run stops
 * before the read. The view's tensor is neither disposed nor mutated (on the cpu backend `data()`
 * can return the tensor's own buffer, hence the copy).
 */
export async function readWeight(view: PrunableView<unknown>, unit: PrunableUnit, signal?: AbortSignal): Promise<Float32Array> {
  throwIfAborted(signal, `reading ${unit.name}`);
  const values = (await view.weight(unit.name).data()) as Float32Array;
  return Float32Array.from(values);
}
