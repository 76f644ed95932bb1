import { InvalidArgumentError } from '../errors/index.js';

/** Throws unless `value` is an integer ≥ `min`. */
export function assertInteger(value: number, min: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new InvalidArgumentError({
      message: `${what} must be an integer ≥ ${min} (got ${String(value)}).`,
      expected: `integer >= ${min}`,
      actual: value,
    });
  }
}

/** Throws unless `value` is a finite number in [lo, hi] (or [lo, hi) when `openHigh`). */
export function assertInRange(value: number, lo: number, hi: number, what: string, openHigh = false): void {
  const ok = typeof value === 'number' && value >= lo && (openHigh ? value < hi : value <= hi);
  if (!ok) {
    const range = `[${lo}, ${hi}${openHigh ? ')' : ']'}`;
    throw new InvalidArgumentError({
      message: `${what} must be a number in ${range} (got ${String(value)}).`,
      expected: range,
      actual: value,
    });
  }
}
