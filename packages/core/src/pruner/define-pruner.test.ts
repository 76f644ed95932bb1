import { describe, expect, it } from 'vitest';
import { VlpError } from '../errors/index.js';
import { definePruner } from './define-pruner.js';
import { CAPABILITIES, firstEntriesPruner, fixtureSchema } from './test-fixtures.js';

const base = {
  id: 'my-pruner',
  displayName: 'Mine',
  version: '1.2.3',
  configSchema: fixtureSchema(),
  capabilities: CAPABILITIES,
  prune: async () => ({ masks: new Map() }),
};

function problemsOf(def: unknown): string {
  try {
    definePruner(def as typeof base);
  } catch (error) {
    expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('definePruner accepted an invalid definition');
}

describe('definePruner', () => {
  it('returns a frozen v1 pruner that keeps the definition', () => {
    const pruner = definePruner(base);
    expect(pruner.specificationVersion).toBe('v1');
    expect(pruner.id).toBe('my-pruner');
    expect(pruner.prune).toBe(base.prune);
    expect(Object.isFrozen(pruner)).toBe(true);
    expect(Object.isFrozen(pruner.capabilities)).toBe(true);
    expect(Object.isFrozen(pruner.capabilities.requires)).toBe(true);
    expect(Object.isFrozen(pruner.capabilities.modalities)).toBe(true);
  });

  it('does not share mutable state with the definition', () => {
    const modalities = ['vision' as const];
    const pruner = definePruner({ ...base, capabilities: { ...CAPABILITIES, modalities } });
    modalities.push('text' as never);
    expect(pruner.capabilities.modalities).toEqual(['vision']);
  });

  it.each(['MyPruner', 'my_pruner', '-x', 'x-', '1abc', 'a--b', ''])('rejects the id %j', (id) => {
    expect(problemsOf({ ...base, id })).toMatch(/id must be kebab-case/);
  });

  it.each(['1.0', 'v1.0.0', '01.0.0', 'latest'])('rejects the version %j', (version) => {
    expect(problemsOf({ ...base, version })).toMatch(/version must be a semver/);
  });

  it('accepts pre-release and build versions', () => {
    expect(definePruner({ ...base, version: '0.1.0-beta.1+sha.5' }).version).toBe('0.1.0-beta.1+sha.5');
  });

  it('lists every capability problem at once', () => {
    const message = problemsOf({
      ...base,
      capabilities: { architectures: [], modalities: ['audio'], granularity: '2:4', requires: { calibration: 'yes' } },
    });
    expect(message).toMatch(/architectures must be '\*' or a non-empty list/);
    expect(message).toMatch(/modalities must be a non-empty list of vision, text, fusion/);
    expect(message).toMatch(/granularity must be one of unstructured, n:m, structured \(got "2:4"\)/);
    expect(message).toMatch(/requires.calibration must be a boolean/);
    expect(message).toMatch(/requires.gradients must be a boolean/);
  });

  it('requires structure kinds for a structured pruner', () => {
    expect(problemsOf({ ...base, capabilities: { ...CAPABILITIES, granularity: 'structured' } })).toMatch(/capabilities.structures/);
    const ok = definePruner({ ...base, capabilities: { ...CAPABILITIES, granularity: 'structured', structures: ['head'] } });
    expect(ok.capabilities.structures).toEqual(['head']);
  });

  it('rejects a config schema that is not a Standard Schema, and a missing prune()', () => {
    const message = problemsOf({ ...base, configSchema: { parse: () => ({}) }, prune: undefined });
    expect(message).toMatch(/configSchema must be a Standard Schema v1/);
    expect(message).toMatch(/prune must be a function/);
  });

  it('checks the paper reference', () => {
    expect(problemsOf({ ...base, paper: { title: 'T', venue: '', year: 'x', url: 'u' } })).toMatch(/paper.venue.*\n.*paper.year/s);
  });

  it('rejects a bad sparsityTolerance', () => {
    expect(problemsOf({ ...base, capabilities: { ...CAPABILITIES, sparsityTolerance: 0 } })).toMatch(/sparsityTolerance/);
  });

  it('builds the fixture pruner', () => {
    expect(firstEntriesPruner().id).toBe('first-entries');
  });
});
