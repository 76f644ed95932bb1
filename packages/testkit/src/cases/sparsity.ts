import { isNMPattern } from '@vlp/core';
import type { CaseContext } from '../conformance/context.js';

const EPS = 1e-9;

/** The realised sparsity is within tolerance overall and per unit (where targets are reported); `n:m` pruners produce their pattern. */
export function sparsityCases(c: CaseContext): void {
  for (const sparsity of c.options.sparsities) {
    c.test(`realises sparsity ${sparsity} within tolerance, overall and per unit`, async () => {
      const report = await c.withView((view) => c.run(view, { sparsity }, { tolerance: c.options.tolerance }));
      const problems: string[] = [];
      const { total, perUnit } = report.sparsity;
      if (Math.abs(total.sparsity - sparsity) > report.tolerance + EPS) {
        problems.push(`total: realised ${total.sparsity.toFixed(4)}, requested ${sparsity} ± ${report.tolerance}`);
      }
      for (const unit of perUnit) {
        if (unit.target === undefined) continue;
        const allowed = report.tolerance + 1 / unit.numel;
        if (Math.abs(unit.sparsity - unit.target) > allowed + EPS) {
          problems.push(`${unit.unit}: realised ${unit.sparsity.toFixed(4)}, its reported target ${unit.target} ± ${allowed.toFixed(4)}`);
        }
      }
      c.expectNoProblems(problems);
    });
  }
  const { granularity } = c.pruner.capabilities;
  if (granularity !== 'n:m') {
    c.skip('produces the N:M pattern', `granularity is ${granularity}`);
    return;
  }
  const { nm } = c.options;
  c.test(`produces the ${nm ? `${nm.n}:${nm.m}` : 'N:M'} pattern`, async () => {
    if (!nm) {
      c.expectNoProblems(['an n:m pruner needs options.nm = { n, m } (at most n kept in every m consecutive inputs)']);
      return;
    }
    const problems = await c.withView(async (view) => {
      const report = await c.run(view, {}, { tolerance: c.options.tolerance });
      const found: string[] = [];
      for (const unit of view.units) {
        const mask = report.masks.get(unit.name);
        if (!mask) continue;
        try {
          if (!isNMPattern(mask, unit.shape, nm.n, nm.m)) found.push(`${unit.name}: more than ${nm.n} kept in some group of ${nm.m}`);
        } catch (error) {
          found.push(`${unit.name}: ${(error as Error).message}`);
        }
      }
      return found;
    });
    c.expectNoProblems(problems);
  });
}
