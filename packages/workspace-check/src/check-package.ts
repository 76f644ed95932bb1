import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listSourceFiles } from './source-files.js';

/** One thing wrong with one package. */
export interface Problem {
  readonly package: string;
  readonly message: string;
}

interface PackageJson {
  name?: string;
  private?: boolean;
  type?: string;
  sideEffects?: boolean;
  exports?: Record<string, unknown>;
  engines?: { node?: string };
  files?: string[];
  scripts?: Record<string, string>;
}

const REQUIRED_FILES = ['package.json', 'README.md', 'CHANGELOG.md', 'tsup.config.ts', 'tsconfig.json', 'vitest.config.ts', 'src/index.ts'];

/** Layout checks of one package directory: required files, ESM exports map, build and test setup. */
export function checkPackageLayout(dir: string): Problem[] {
  const problems: Problem[] = [];
  const name = path.basename(dir);
  const add = (message: string) => problems.push({ package: name, message });
  for (const file of REQUIRED_FILES) if (!existsSync(path.join(dir, file))) add(`missing ${file}`);
  if (!existsSync(path.join(dir, 'package.json'))) return problems;
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
  const id = pkg.name ?? name;
  const addP = (message: string) => problems.push({ package: id, message });
  if (!pkg.name?.startsWith('@vlp/')) addP('name must be @vlp/<name>');
  if (pkg.type !== 'module') addP('"type" must be "module" (ESM only)');
  if (pkg.sideEffects !== false) addP('"sideEffects" must be false');
  if (pkg.engines?.node !== '>=20.19') addP('"engines.node" must be ">=20.19"');
  const root = pkg.exports?.['.'] as { types?: string; default?: string } | undefined;
  if (!root || root.types !== './dist/index.d.ts' || root.default !== './dist/index.js') {
    addP('exports["."] must be { types: "./dist/index.d.ts", default: "./dist/index.js" }');
  }
  if (pkg.exports?.['./package.json'] !== './package.json') addP('exports must include "./package.json"');
  for (const script of ['build', 'test', 'typecheck']) if (!pkg.scripts?.[script]) addP(`missing script "${script}"`);
  if (!pkg.private && !pkg.files?.includes('dist')) addP('"files" must include "dist"');
  const tsup = existsSync(path.join(dir, 'tsup.config.ts')) ? readFileSync(path.join(dir, 'tsup.config.ts'), 'utf8') : '';
  if (tsup && !/format:\s*\[\s*'esm'\s*\]/.test(tsup)) addP("tsup must build format: ['esm']");
  if (tsup && !/dts:\s*(true|\{)/.test(tsup)) addP('tsup must emit .d.ts (dts: true or dts: { entry })');
  const readme = existsSync(path.join(dir, 'README.md')) ? readFileSync(path.join(dir, 'README.md'), 'utf8') : '';
  if (readme && !/```(ts|typescript|js|sh|bash)/.test(readme)) addP('README.md needs a runnable example (a ```ts or ```sh block)');
  const tests = listSourceFiles(path.join(dir, 'src')).filter((f) => f.endsWith('.test.ts'));
  if (tests.length === 0) addP('no tests (src/**/*.test.ts)');
  return problems;
}
