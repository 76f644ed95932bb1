import type { MaskSet } from '@vlp/core';
import type { CaseContext } from '../conformance/context.js';

function maskDifferences(a: MaskSet, b: MaskSet): string[] {
  const problems: string[] = [];
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(name);
    const y = b.get(name);
    if (!x || !y) {
      problems.push(`${name}: masked in only one of the two runs`);
      continue;
    }
    let differ = 0;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) differ++;
    if (differ > 0 || x.length !== y.length) problems.push(`${name}: ${differ} of ${x.length} mask entries differ`);
  }
  return problems;
}

/** The same seed gives byte-identical masks (two fresh views, two runs). */
export function determinismCases(c: CaseContext): void {
  c.test('returns byte-identical masks for the same seed', async () => {
    const first = await c.withView((view) => c.run(view));
    const second = await c.withView((view) => c.run(view));
    const problems = maskDifferences(first.masks, second.masks);
    if (problems.length > 0) problems.push('draw every random choice from ctx.rng (seeded by request.seed), never Math.random()');
    c.expectNoProblems(problems);
  });
}
