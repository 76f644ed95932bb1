/** Number formatting shared by the Markdown and HTML reports. */

/** A metric value: 2 decimals. */
export const metric = (v: number): string => v.toFixed(2);

/** A sparsity or fraction: 2 decimals. */
export const fraction = (v: number): string => v.toFixed(2);

/** A column heading: `0.50`, or `2× (0.50)` for a structured compression ratio. */
export const column = (c: { sparsity: number; compression: number | null }): string =>
  c.compression === null ? fraction(c.sparsity) : `${Number(c.compression.toFixed(2))}× (${fraction(c.sparsity)})`;

/** A count with an SI suffix: 1.23M, 4.5G. */
export function si(v: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [scale, suffix] of units) if (Math.abs(v) >= scale) return `${(v / scale).toFixed(2)}${suffix}`;
  return String(Math.round(v));
}

/** Milliseconds as seconds with one decimal. */
export const seconds = (ms: number): string => (ms / 1000).toFixed(1);

/** Bytes as MiB, no decimals. */
export const mib = (bytes: number): string => String(Math.round(bytes / 2 ** 20));
