import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../errors/index.js';
import { fixtureSchema } from './test-fixtures.js';
import { formatIssuePath, issuePath, validateStandard } from './validate.js';

describe('validateStandard', () => {
  it.each([false, true])('returns the parsed output (async schema: %s)', async (async) => {
    await expect(validateStandard(fixtureSchema(async), {}, 'config')).resolves.toEqual({ offset: 0 });
  });

  it.each([false, true])('throws VLP_INVALID_CONFIG with the issues and their paths (async schema: %s)', async (async) => {
    const error = await validateStandard(fixtureSchema(async), { offset: -1, extra: 1 }, 'config of pruner "x"').catch((e: unknown) => e);
    expect(InvalidConfigError.isInstance(error)).toBe(true);
    const issues = (error as InvalidConfigError).issues;
    expect(issues.map(issuePath)).toEqual([['offset'], ['extra']]);
    expect((error as Error).message).toBe(
      'Invalid config of pruner "x" (2 issues):\n  - offset: expected an integer ≥ 0\n  - extra: unknown key',
    );
  });
});

describe('formatIssuePath', () => {
  it('writes paths the way a user would', () => {
    expect(formatIssuePath([])).toBe('(root)');
    expect(formatIssuePath(['scope', 'modalities', 0])).toBe('scope.modalities[0]');
    expect(formatIssuePath([0, 'a'])).toBe('[0].a');
  });
});
