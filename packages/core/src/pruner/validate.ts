import type { StandardSchemaV1 } from '@standard-schema/spec';
import { InvalidConfigError } from '../errors/index.js';

/** A Standard Schema issue path as plain keys (`PathSegment` objects unwrapped). */
export function issuePath(issue: StandardSchemaV1.Issue): PropertyKey[] {
  return (issue.path ?? []).map((segment) =>
    typeof segment === 'object' && segment !== null ? (segment as StandardSchemaV1.PathSegment).key : segment,
  );
}

/** `sparsity`, `scope.modalities[0]`, or `(root)`: a path as a user would write it. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** One line per issue: `  - sparsity: must be in [0, 1) (got 1.2)`. */
export function formatIssues(issues: readonly StandardSchemaV1.Issue[]): string {
  return issues.map((issue) => `  - ${formatIssuePath(issuePath(issue))}: ${issue.message}`).join('\n');
}

/** Builds a `VLP_INVALID_CONFIG` error whose message lists every issue with its path. */
export function invalidConfig(what: string, issues: readonly StandardSchemaV1.Issue[], hint?: string): InvalidConfigError {
  const count = issues.length === 1 ? '1 issue' : `${issues.length} issues`;
  return new InvalidConfigError({
    message: `Invalid ${what} (${count}):\n${formatIssues(issues)}${hint ? `\n${hint}` : ''}`,
    issues,
  });
}

/**
 * Validates `value` with a Standard Schema (sync or async) and returns the parsed output.
 * Throws `VLP_INVALID_CONFIG` carrying the schema's `issues` (with paths) when it fails; `what`
 * names the thing validated in the message (`config of pruner "wanda"`).
 */
export async function validateStandard<Output>(
  schema: StandardSchemaV1<unknown, Output>,
  value: unknown,
  what: string,
  hint?: string,
): Promise<Output> {
  const result = await schema['~standard'].validate(value);
  if (result.issues) throw invalidConfig(what, result.issues, hint);
  return result.value;
}
