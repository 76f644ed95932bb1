import { describe, expect, it } from 'vitest';
import { random } from '@vlp/baselines';
import { installedMethodPruners, installedPrunerRegistry } from './installed-pruners.js';
import { METHOD_PACKAGES } from './method-packages.js';
import { installedPrunerVariants } from './pruner-variants.js';
import { validateStandard } from '@vlp/core';

const notFound = (name: string) => Object.assign(new Error(`Cannot find package '${name}' imported from /x`), { code: 'ERR_MODULE_NOT_FOUND' });

describe('installed pruners', () => {
  it('are the baselines plus the installed method packages, in a stable order', async () => {
    const registry = await installedPrunerRegistry();
    expect(registry.ids().slice(0, 8)).toEqual(['random', 'magnitude', 'layerwise-l2norm', 'lamp', 'snip', 'itersnip', 'wanda', 'sparsegpt']);
  });

  it('adds the pruner variants under their own ids: OMP (global magnitude) and first-order ECoFLaP', async () => {
    const registry = await installedPrunerRegistry();
    expect(registry.ids().slice(-2)).toEqual(['omp', 'ecoflap-first-order']);
    const omp = registry.get('omp');
    const magnitude = registry.get('magnitude');
    expect([omp.displayName, omp.version, omp.paper, omp.capabilities]).toEqual(['OMP (global magnitude)', magnitude.version, magnitude.paper, magnitude.capabilities]);
    expect(await validateStandard(omp.configSchema, {}, 'omp')).toEqual({ scope: 'global' });
    expect(await validateStandard(magnitude.configSchema, {}, 'magnitude')).toEqual({ scope: 'layer' });
    expect(await validateStandard(registry.get('ecoflap-first-order').configSchema, {}, 'ecoflap-first-order')).toMatchObject({ scores: { kind: 'first-order', samples: 128 }, fine: { kind: 'wanda' } });
    expect(await validateStandard(registry.get('ecoflap').configSchema, {}, 'ecoflap')).toMatchObject({ scores: { kind: 'zeroth-order' } });
  });

  it('skips a variant whose package is not installed', async () => {
    const variants = await installedPrunerVariants(async (name) => {
      if (name === '@vlp/baselines') return { magnitude: () => random() };
      throw notFound(name);
    });
    expect(variants.map((p) => [p.id, p.displayName])).toEqual([['omp', 'OMP (global magnitude)']]);
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
