import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HF_FIXTURES } from './__tests__/fixtures.js';
import * as api from './index.js';

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(path.join(pkgDir, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('README', () => {
  // inside the package, so that '@vlp/multiflow' (self-reference to dist/) and the dev dependencies resolve
  const script = path.join(pkgDir, `.doc-example-${process.pid}.mjs`);
  afterAll(() => rmSync(script, { force: true }));

  it('imports only names the package exports', () => {
    const names = blocks.flatMap((b) => [...b.matchAll(/import \{([^}]*)\} from '@vlp\/multiflow'/g)].flatMap((m) => m[1].split(',').map((n) => n.trim())));
    expect(names.length).toBeGreaterThan(4);
    for (const name of names) expect(api, name).toHaveProperty(name);
  });

  it('prunes clip-tiny to 75 %, then masks 63 / 75 / 90 % from one pass, printing what its comments say (runs the built package)', () => {
    expect(existsSync(path.join(pkgDir, 'dist/index.js')), 'build the package first (pnpm build)').toBe(true);
    const [example, blocksOfKernels] = blocks;
    expect(example.startsWith('// prune-clip-tiny.mjs')).toBe(true);
    // the second block continues the first, before its model.dispose()
    const dispose = 'await model.dispose();\n';
    expect(example.endsWith(dispose)).toBe(true);
    const program = `${example.slice(0, -dispose.length)}${blocksOfKernels}${dispose}`;
    writeFileSync(script, program.replaceAll("'../shared/fixtures/hf/clip-tiny'", JSON.stringify(path.join(HF_FIXTURES, 'clip-tiny'))));
    const stdout = execFileSync(process.execPath, [script], { cwd: pkgDir, encoding: 'utf8' }).trim().split('\n');
    const promised = [...program.matchAll(/console\.log\([^;]*\); \/\/ (.*)/g)].map((m) => m[1]);
    expect(stdout).toEqual(promised);
  });
});
