/** Gate values by gate group (1 keeps, 0 removes), host-side. */
export type GateValues = ReadonlyMap<string, Float32Array>;

/** All-ones gates for every group of `sizes`. */
export function openGates(sizes: ReadonlyMap<string, number>): Map<string, Float32Array> {
  return new Map([...sizes].map(([group, size]) => [group, new Float32Array(size).fill(1)]));
}

/** A copy of `gates` with `indices` of `group` set to 0 (the input is not modified). */
export function withClosed(gates: GateValues, group: string, indices: readonly number[]): Map<string, Float32Array> {
  const copy = new Map([...gates].map(([g, values]) => [g, values.slice()]));
  const target = copy.get(group);
  if (target) for (const i of indices) target[i] = 0;
  return copy;
}

/** A canonical key of a gate configuration: its closed gates, `group:i,j;…` in sorted group order. */
export function gateKey(gates: GateValues): string {
  const parts: string[] = [];
  for (const group of [...gates.keys()].sort()) {
    const closed: number[] = [];
    (gates.get(group) as Float32Array).forEach((v, i) => v !== 1 && closed.push(i));
    if (closed.length > 0) parts.push(`${group}:${closed.join(',')}`);
  }
  return parts.join(';');
}
