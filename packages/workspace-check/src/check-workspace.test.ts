import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkWorkspace, workspacePackageDirs } from './check-workspace.js';
import { vlpImports } from './source-files.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('the vlp workspace', () => {
  it('has every package laid out by the house rules and importing along the dependency direction', () => {
    expect(workspacePackageDirs(repoRoot).length).toBeGreaterThanOrEqual(4);
    expect(checkWorkspace(repoRoot)).toEqual([]);
  });

  it('has the top level DESIGN.md prescribes', () => {
    for (const entry of ['package.json', 'pnpm-workspace.yaml', 'turbo.json', 'tsconfig.base.json', '.changeset/config.json', '.ci/run', 'packages', 'benchmarks', 'docs']) {
      expect(existsSync(path.join(repoRoot, entry)), `${entry} is missing`).toBe(true);
    }
    const root = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(root.packageManager).toBe('pnpm@10.34.9');
    expect(root.private).toBe(true);
    expect(Object.keys(root.scripts as object)).toEqual(expect.arrayContaining(['build', 'test', 'typecheck', 'lint', 'bench', 'changeset']));
  });

  it('pins every @tensorflow/* dependency to exactly 4.22.0 and onnxruntime-node to 1.30.0', () => {
    for (const dir of workspacePackageDirs(repoRoot)) {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
        for (const [name, version] of Object.entries(pkg[field] ?? {})) {
          if (name.startsWith('@tensorflow/')) expect(version, `${dir}: ${name}`).toBe('4.22.0');
          if (name === 'onnxruntime-node') expect(version, `${dir}: ${name}`).toBe('1.30.0');
        }
      }
    }
  });
});

describe('checkWorkspace on a broken workspace', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'vlp-ws-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('reports missing files, a non-ESM package, a sideways import and an undeclared import', () => {
    cpSync(path.join(repoRoot, 'packages', 'core'), path.join(tmp, 'packages', 'core'), {
      recursive: true,
      filter: (src) => !src.includes('node_modules') && !src.includes(`${path.sep}dist`),
    });
    const bad = path.join(tmp, 'packages', 'multiflow');
    mkdirSync(path.join(bad, 'src'), { recursive: true });
    writeFileSync(
      path.join(bad, 'package.json'),
      JSON.stringify({ name: '@vlp/multiflow', type: 'commonjs', sideEffects: false, dependencies: { '@vlp/core': 'workspace:*', '@vlp/upop': 'workspace:*' } }),
    );
    writeFileSync(path.join(bad, 'src', 'index.ts'), "import { upop } from '@vlp/upop';\nimport { loadModel } from '@vlp/models';\nexport const x = [upop, loadModel];\n");
    const problems = checkWorkspace(tmp).map((p) => `${p.package}: ${p.message}`);
    expect(problems.filter((p) => p.startsWith('@vlp/core'))).toEqual([]);
    expect(problems).toEqual(
      expect.arrayContaining([
        'multiflow: missing README.md',
        'multiflow: missing CHANGELOG.md',
        'multiflow: missing tsup.config.ts',
        '@vlp/multiflow: "type" must be "module" (ESM only)',
        '@vlp/multiflow: no tests (src/**/*.test.ts)',
        '@vlp/multiflow: depends on @vlp/upop, against the dependency direction',
        '@vlp/multiflow: src/index.ts imports @vlp/upop, against the dependency direction',
        '@vlp/multiflow: src/index.ts imports @vlp/models, against the dependency direction',
      ]),
    );
  });
});

describe('vlpImports', () => {
  it('finds static, re-export, dynamic, subpath and require imports', () => {
    const src = [
      "import { a } from '@vlp/core';",
      "export * from '@vlp/models';",
      "const t = await import('@vlp/testkit/vitest');",
      "import '@vlp/data';",
      "const z = require(\"@vlp/zoo\");",
      "const notAnImport = '@vlp/cli';",
    ].join('\n');
    expect(vlpImports(src)).toEqual(['@vlp/core', '@vlp/data', '@vlp/models', '@vlp/testkit', '@vlp/zoo']);
  });
});
