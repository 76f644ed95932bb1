import type { PrunableView } from '@vlp/core';

/** FNV-1a 32-bit hash of bytes, as 8 hex digits. */
export function hashBytes(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Hash of every unit weight's bytes (`dataSync()`), by unit name. */
export function hashWeights(view: PrunableView<unknown>): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const unit of view.units) {
    const data = view.weight(unit.name).dataSync();
    hashes.set(unit.name, `${hashBytes(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))}:${data.length}`);
  }
  return hashes;
}
