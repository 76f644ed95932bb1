import { describe, expect, it } from 'vitest';
import { random } from '@vlp/baselines';
import { installedMethodPruners, installedPrunerRegistry } from './installed-pruners.js';
import { METHOD_PACKAGES } from './method-packages.js';

const notFound = (name: string) => Object.assign(new Error(`Cannot find package '${name}' imported from /x`), { code: 'ERR_MODULE_NOT_FOUND' });

describe('installed pruners', () => {
  it('are the baselines plus the installed method packages, in a stable order', async () => {
    const registry = await installedPrunerRegistry();
    expect(registry.ids().slice(0, 8)).toEqual(['random', 'magnitude', 'layerwise-l2norm', 'lamp', 'snip', 'itersnip', 'wanda', 'sparsegpt']);
  });

  it('skips a listed method package that is not installed, and uses one that is', async () => {
    const [first] = METHOD_PACKAGES;
    const pruners = await installedMethodPruners(async (name) => {
      if (name === first?.packageName) return { [first.factory]: () => ({ ...random(), id: 'fake-method' }) };
      throw notFound(name);
    });
    expect(pruners.map((p) => p.id)).toEqual(['fake-method']);
  });

  it('never hides a method package that fails to load or lacks its factory', async () => {
    await expect(installedMethodPruners(async () => { throw new SyntaxError('broken build'); })).rejects.toThrowError('broken build');
    // a missing dependency OF an installed package is a load failure, not "not installed"
    await expect(installedMethodPruners(async () => { throw notFound('zod'); })).rejects.toThrowError(/zod/);
    await expect(installedMethodPruners(async () => ({}))).rejects.toThrowError(/exports no factory "multiflow\(\)"/);
  });
});
