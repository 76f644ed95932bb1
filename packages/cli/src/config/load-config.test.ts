import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VlpError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../__tests__/helpers.js';
import { loadVlpConfig } from './load-config.js';
import { cliRegistry } from './registry.js';

const tmp = tempDir('vlp-config-');

function project(name: string, source: string, file = 'vlp.config.ts'): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, file), source);
  return dir;
}

// A pruner written inline, in TypeScript, without any import: a plain object is all the contract needs.
const INLINE_PRUNER = `
const pruner = {
  specificationVersion: 'v1' as const,
  id: 'keep-all',
  displayName: 'Keep all',
  version: '1.0.0',
  configSchema: { '~standard': { version: 1, vendor: 'test', validate: (v: unknown) => ({ value: v }) } },
  capabilities: { architectures: '*', modalities: ['vision', 'text'], granularity: 'unstructured', requires: { calibration: false, gradients: false, training: false, evaluator: false } },
  async prune() { return { masks: new Map() }; },
};
export default { pruners: [pruner] };
`;

describe('loadVlpConfig', () => {
  it('returns an empty config when the directory has none', async () => {
    expect(await loadVlpConfig(project('empty', '', 'other.txt'))).toEqual({ config: {} });
  });

  it('loads vlp.config.ts (TypeScript, no build step) and registers its pruners next to the built-in ones', async () => {
    const dir = project('ts', INLINE_PRUNER);
    const loaded = await loadVlpConfig(dir);
    expect(loaded.file).toBe(path.join(dir, 'vlp.config.ts'));
    const registry = cliRegistry(loaded.config);
    expect(registry.get('keep-all').displayName).toBe('Keep all');
    expect(registry.has('wanda')).toBe(true);
  });

  it('loads vlp.config.mjs too', async () => {
    const loaded = await loadVlpConfig(project('mjs', 'export default { suites: [] };\n', 'vlp.config.mjs'));
    expect(loaded.config).toEqual({ suites: [] });
  });

  it.each([
    ['a syntax error', 'export default { pruners: [ };', /could not be loaded/],
    ['a non-object default export', 'export default 3;', /default export is not an object/],
    ['an unknown field', 'export default { pruner: [] };', /unknown field\(s\) "pruner"/],
    ['a factory instead of a pruner', 'export default { pruners: [() => ({})] };', /call the factory/],
    ['a suite without id', 'export default { suites: [{}] };', /defineSuite/],
  ])('rejects %s with VLP_INVALID_CONFIG naming the file', async (name, source, message) => {
    const dir = project(name.replace(/\W+/g, '-'), source);
    const error = await loadVlpConfig(dir).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_INVALID_CONFIG')).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(path.join(dir, 'vlp.config.ts'));
  });

  it('refuses a config pruner whose id is taken by a built-in one', async () => {
    const loaded = await loadVlpConfig(project('dup', INLINE_PRUNER.replace("'keep-all'", "'wanda'")));
    expect(() => cliRegistry(loaded.config)).toThrow(/two pruners have the id "wanda"/);
  });
});
