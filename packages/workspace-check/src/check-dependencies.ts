import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from './check-package.js';
import { LAYER_RULES } from './layers.js';
import { listSourceFiles, vlpImports } from './source-files.js';

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * Dependency-direction checks of one package: its declared `@vlp/*` dependencies and the `@vlp/*`
 * imports of its source files must follow {@link LAYER_RULES} (tests may use the dev list too).
 */
export function checkDependencies(dir: string): Problem[] {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return [];
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  const rule = LAYER_RULES[pkg.name];
  const problems: Problem[] = [];
  const add = (message: string) => problems.push({ package: pkg.name, message });
  if (!rule) {
    add(`unknown package: add it to LAYER_RULES in packages/workspace-check/src/layers.ts (and to DESIGN's dependency direction)`);
    return problems;
  }
  const runtimeDeps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter((d) => d.startsWith('@vlp/'));
  for (const dep of runtimeDeps) if (!rule.runtime.includes(dep)) add(`depends on ${dep}, against the dependency direction`);
  const devDeps = Object.keys(pkg.devDependencies ?? {}).filter((d) => d.startsWith('@vlp/'));
  for (const dep of devDeps) {
    if (!rule.runtime.includes(dep) && !rule.dev.includes(dep)) add(`devDepends on ${dep}, against the dependency direction`);
  }
  // This package's own tests hold sample sources with imports in string literals: not scanned.
  const sources = pkg.name === '@vlp/workspace-check' ? [] : listSourceFiles(path.join(dir, 'src'));
  for (const source of sources) {
    const isTest = /\.test(-d)?\.ts$/.test(source);
    const allowed = isTest ? [...rule.runtime, ...rule.dev] : rule.runtime;
    for (const imported of vlpImports(readFileSync(source, 'utf8'))) {
      if (imported === pkg.name) continue;
      const rel = path.relative(dir, source);
      if (!allowed.includes(imported)) add(`${rel} imports ${imported}, against the dependency direction`);
      else if (![...runtimeDeps, ...devDeps].includes(imported)) add(`${rel} imports ${imported}, which package.json does not declare`);
    }
  }
  return problems;
}
