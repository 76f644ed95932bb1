import type { CaseContext } from '../conformance/context.js';
import { hashWeights } from '../conformance/hash.js';

/** Scoring never modifies the model: every unit weight hashes the same before and after `prune(..., { apply: false })`. */
export function inputsUntouchedCases(c: CaseContext): void {
  c.test('leaves every unit weight unchanged with apply: false (byte hashes before and after)', async () => {
    const problems = await c.withView(async (view) => {
      const before = hashWeights(view);
      await c.run(view);
      const after = hashWeights(view);
      return [...before]
        .filter(([name, hash]) => after.get(name) !== hash)
        .map(([name]) => `${name}: weight bytes changed; score on copies or per-run overrides (view.run(batch, { weights })), never in place`);
    });
    c.expectNoProblems(problems);
  });
}
