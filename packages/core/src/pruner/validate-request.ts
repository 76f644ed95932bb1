import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { PruneRequest } from '../contract/pruner.js';
import type { Modality } from '../contract/view.js';
import { invalidConfig } from './validate.js';

/** The modalities a view or request can name. */
export const MODALITIES: readonly Modality[] = ['vision', 'text', 'fusion'];

type Issue = StandardSchemaV1.Issue;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scopeIssues(scope: unknown, supported: readonly Modality[]): Issue[] {
  if (scope === undefined) return [];
  if (!isRecord(scope)) return [{ message: 'must be an object like { modalities: ["vision"] }', path: ['scope'] }];
  const modalities = scope.modalities;
  if (modalities === undefined) return [];
  if (!Array.isArray(modalities) || modalities.length === 0) {
    return [{ message: `must be a non-empty array of ${MODALITIES.join(' | ')}`, path: ['scope', 'modalities'] }];
  }
  const issues: Issue[] = [];
  modalities.forEach((m: unknown, i) => {
    const path = ['scope', 'modalities', i];
    if (!MODALITIES.includes(m as Modality)) {
      issues.push({ message: `must be one of ${MODALITIES.join(', ')} (got ${JSON.stringify(m)})`, path });
    } else if (!supported.includes(m as Modality)) {
      issues.push({ message: `the pruner does not prune "${String(m)}"; it supports ${supported.join(', ')}`, path });
    } else if (modalities.indexOf(m) !== i) {
      issues.push({ message: `"${String(m)}" is listed twice`, path });
    }
  });
  return issues;
}

/**
 * Validates a {@link PruneRequest}: `sparsity` a finite number in [0, 1), `seed` a safe integer ≥ 0,
 * `scope.modalities` (optional) a non-empty list of distinct modalities the pruner supports.
 * Throws `VLP_INVALID_CONFIG` with one issue per problem (paths such as `['sparsity']`).
 */
export function validateRequest(request: unknown, supported: readonly Modality[]): PruneRequest {
  if (!isRecord(request)) {
    throw invalidConfig('prune request', [{ message: 'must be an object like { sparsity: 0.5, seed: 0 }', path: [] }]);
  }
  const issues: Issue[] = [];
  const { sparsity, seed } = request;
  if (typeof sparsity !== 'number' || !Number.isFinite(sparsity) || sparsity < 0 || sparsity >= 1) {
    issues.push({ message: `must be a number in [0, 1) (got ${JSON.stringify(sparsity) ?? 'undefined'})`, path: ['sparsity'] });
  }
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    issues.push({ message: `must be an integer ≥ 0 (got ${JSON.stringify(seed) ?? 'undefined'})`, path: ['seed'] });
  }
  issues.push(...scopeIssues(request.scope, supported));
  if (issues.length > 0) throw invalidConfig('prune request', issues);
  return request as unknown as PruneRequest;
}
