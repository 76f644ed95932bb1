import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as api from './index.js';

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HF = path.resolve(pkgDir, '../../../shared/fixtures/hf');
const readme = readFileSync(path.join(pkgDir, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README', () => {
  const script = path.join(pkgDir, `.doc-example-${process.pid}.mjs`);
  afterAll(() => rmSync(script, { force: true }));

  it('imports only names the package exports', () => {
    const names = blocks.flatMap((b) => [...b.matchAll(/import \{([^}]*)\} from '@vlp\/id-metric'/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim())));
    expect(names.length).toBeGreaterThan(4);
    for (const name of names) expect(api, name).toHaveProperty(name);
  });

  it('measures and plots the IDs of clip-tiny and prunes it, printing what its comments say (runs the built package)', () => {
    expect(existsSync(path.join(pkgDir, 'dist/index.js')), 'build the package first (pnpm build)').toBe(true);
    const example = blocks[0]!;
    expect(example.startsWith('// id-clip-tiny.mjs')).toBe(true);
    writeFileSync(script, example.replaceAll("'../shared/fixtures/hf/clip-tiny'", JSON.stringify(path.join(HF, 'clip-tiny'))));
    const stdout = execFileSync(process.execPath, [script], { cwd: pkgDir, encoding: 'utf8' }).trim().split('\n');
    const promised = [...example.matchAll(/console\.log\([^;]*\); \/\/ (.*)/g)].map((m) => m[1]);
    expect(stdout).toEqual(promised);
  });
});
