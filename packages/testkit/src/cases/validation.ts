import { InvalidConfigError, issuePath, type PruneEvent } from '@vlp/core';
import { type CaseContext, describeError, rejectionOf } from '../conformance/context.js';

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
const samePath = (a: readonly PropertyKey[], b: readonly PropertyKey[]) => a.length === b.length && a.every((k, i) => String(k) === String(b[i]));

/** Invalid configs are rejected by `prune()` with `VLP_INVALID_CONFIG` (at the expected path) before the pruner runs; valid ones are accepted. */
export function validationCases(c: CaseContext): void {
  const { invalidConfigs, validConfigs } = c.options;
  if (invalidConfigs.length === 0) c.skip('rejects invalid configs with VLP_INVALID_CONFIG', 'no invalidConfigs given');
  invalidConfigs.forEach(({ config, path }, i) => {
    const at = path ? ` at path ${show(path)}` : '';
    c.test(`rejects invalid config #${i + 1} ${show(config)} with VLP_INVALID_CONFIG${at}`, async () => {
      const events: PruneEvent[] = [];
      const error = await c.withView((view) => rejectionOf(c.run(view, {}, { config, onEvent: (e) => events.push(e) })));
      const problems: string[] = [];
      if (error === undefined) problems.push(`prune() accepted ${show(config)}; the pruner's configSchema must reject it`);
      else if (!InvalidConfigError.isInstance(error)) problems.push(`prune() rejected it with ${describeError(error)} instead of VLP_INVALID_CONFIG`);
      else if (path && !error.issues.some((issue) => samePath(issuePath(issue), path))) {
        problems.push(`no issue at path ${show(path)}; the issues were at ${show(error.issues.map(issuePath))}`);
      }
      if (events.length > 0) problems.push(`the pruner ran (${events.length} events emitted) although its config was invalid`);
      c.expectNoProblems(problems);
    });
  });
  validConfigs.forEach((config, i) => {
    c.test(`accepts valid config #${i + 1} ${show(config)}`, async () => {
      const error = await c.withView((view) => rejectionOf(c.run(view, {}, { config })));
      c.expectNoProblems(error === undefined ? [] : [`prune() rejected a valid config: ${describeError(error)}`]);
    });
  });
}
