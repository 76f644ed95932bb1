import { usageError } from '../errors/bench-errors.js';
import type { Suite } from '../suite/types.js';
import { defaultSuite } from './default.js';
import { smokeSuite } from './smoke.js';

/** The built-in suites by id. */
export const SUITES: Readonly<Record<string, Suite>> = { default: defaultSuite, smoke: smokeSuite };

/** The suite with this id; `BenchUsageError` listing the known ids otherwise. */
export function getSuite(id: string): Suite {
  const suite = SUITES[id];
  if (!suite) throw usageError(`Unknown suite "${id}". Suites: ${Object.keys(SUITES).join(', ')}.`);
  return suite;
}
