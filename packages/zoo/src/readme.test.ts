import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { shapesVLSample } from '@vlp/data';
import * as api from './index.js';
import { TINY_CLIP_METRICS } from './tiny-clip/tiny-clip-metrics.js';

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(path.join(pkgDir, 'README.md'), 'utf8');

describe('README', () => {
  // inside the package so that '@vlp/zoo' (self-reference) and its dependencies resolve
  const script = path.join(pkgDir, `.doc-example-${process.pid}.mjs`);
  afterAll(() => rmSync(script, { force: true }));

  it('imports only names the package exports', () => {
    const block = /```js\n(\/\/ tiny-clip-quickstart\.mjs[\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const names = (/import \{([^}]*)\} from '@vlp\/zoo'/.exec(block)?.[1] ?? '').split(',').map((n) => n.trim()).filter(Boolean);
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) expect(api, name).toHaveProperty(name);
  });

  it('its example runs on the built package and prints the recorded subset metrics', () => {
    const block = /```js\n(\/\/ tiny-clip-quickstart\.mjs[\s\S]*?)```/.exec(readme);
    expect(block, 'the tiny-clip-quickstart block is missing').not.toBeNull();
    writeFileSync(script, block?.[1] as string);
    const stdout = execFileSync(process.execPath, [script], { cwd: pkgDir, encoding: 'utf8', env: { ...process.env, VLP_EXECUTOR: TINY_CLIP_METRICS.engine } });
    expect(stdout).toContain(`embedded: ${api.EMBEDDED_MODELS.join(' ')}\n`);
    expect(stdout).toContain(`label: ${shapesVLSample(0, 'test', 0).label.className} | predicted: `);
    const { zeroShot, retrieval } = TINY_CLIP_METRICS.subset;
    expect(stdout).toContain(`zero-shot top-1: ${zeroShot.top1} | text→image R@1: ${retrieval.t2i.r1}`);
  });
});
