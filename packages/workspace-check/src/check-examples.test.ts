import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_PLUGIN_RULE } from './layers.js';
import { listSourceFiles, vlpImports } from './source-files.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const examples = path.join(repoRoot, 'examples');
const dirs = existsSync(examples) ? readdirSync(examples).map((d) => path.join(examples, d)).filter((d) => existsSync(path.join(d, 'package.json'))) : [];

interface PackageJson {
  name?: string;
  private?: boolean;
  type?: string;
  sideEffects?: boolean;
  engines?: { node?: string };
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** Layout and dependency-direction problems of one example plugin package. */
function exampleProblems(dir: string): string[] {
  const problems: string[] = [];
  for (const f of ['package.json', 'README.md', 'tsconfig.json', 'vitest.config.ts', 'src/index.ts']) if (!existsSync(path.join(dir, f))) problems.push(`missing ${f}`);
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
  if (!/^vlp-pruner-[a-z0-9]+(-[a-z0-9]+)*$/.test(pkg.name ?? '')) problems.push(`name must be vlp-pruner-<name> (got ${pkg.name})`);
  if (pkg.private !== true) problems.push('examples are private (never published)');
  if (pkg.type !== 'module') problems.push('"type" must be "module"');
  if (pkg.sideEffects !== false) problems.push('"sideEffects" must be false');
  if (pkg.engines?.node !== '>=20.19') problems.push('"engines.node" must be ">=20.19"');
  for (const s of ['build', 'test', 'typecheck']) if (!pkg.scripts?.[s]) problems.push(`missing script "${s}"`);
  const runtime = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter((d) => d.startsWith('@vlp/'));
  for (const d of runtime) if (!EXAMPLE_PLUGIN_RULE.runtime.includes(d)) problems.push(`depends on ${d} at run time`);
  const sources = listSourceFiles(path.join(dir, 'src'));
  if (!sources.some((f) => f.endsWith('.test.ts'))) problems.push('no tests (src/**/*.test.ts)');
  for (const file of sources) {
    const allowed = file.endsWith('.test.ts') ? [...EXAMPLE_PLUGIN_RULE.runtime, ...EXAMPLE_PLUGIN_RULE.dev] : EXAMPLE_PLUGIN_RULE.runtime;
    for (const imported of vlpImports(readFileSync(file, 'utf8'))) if (!allowed.includes(imported)) problems.push(`${path.relative(dir, file)} imports ${imported}`);
  }
  const tests = sources.filter((f) => f.endsWith('.test.ts')).map((f) => readFileSync(f, 'utf8')).join('\n');
  if (!tests.includes('describePrunerConformance') && !tests.includes('runPrunerConformance')) problems.push('its tests must run the @vlp/testkit conformance suite');
  return problems;
}

describe('examples/*', () => {
  it('are third-party pruner plugins laid out like a publishable vlp-pruner-<name> package', () => {
    expect(dirs.length).toBeGreaterThanOrEqual(1);
    expect(Object.fromEntries(dirs.map((d) => [path.basename(d), exampleProblems(d)]))).toEqual(Object.fromEntries(dirs.map((d) => [path.basename(d), []])));
  });

  it('are workspace members', () => {
    expect(readFileSync(path.join(repoRoot, 'pnpm-workspace.yaml'), 'utf8')).toMatch(/^\s*- examples\/\*$/m);
  });
});
