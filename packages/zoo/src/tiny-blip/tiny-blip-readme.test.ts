import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { shapesVLSample } from '@vlp/data';
import * as api from '../index.js';
import { TINY_BLIP_METRICS } from './tiny-blip-metrics.js';

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const readme = readFileSync(path.join(pkgDir, 'README.md'), 'utf8');
const block = /```js\n(\/\/ tiny-blip-quickstart\.mjs[\s\S]*?)```/.exec(readme)?.[1];

describe('README tiny-blip quickstart', () => {
  // inside the package so that '@vlp/zoo' (self-reference) and its dependencies resolve
  const script = path.join(pkgDir, `.doc-example-blip-${process.pid}.mjs`);
  afterAll(() => rmSync(script, { force: true }));

  it('imports only names the package exports', () => {
    expect(block, 'the tiny-blip-quickstart block is missing').toBeDefined();
    const names = (/import \{([^}]*)\} from '@vlp\/zoo'/.exec(block ?? '')?.[1] ?? '').split(',').map((n) => n.trim()).filter(Boolean);
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) expect(api, name).toHaveProperty(name);
  });

  it('runs on the built package and prints the recorded subset metrics', { timeout: 180_000 }, () => {
    writeFileSync(script, block as string);
    const stdout = execFileSync(process.execPath, [script], { cwd: pkgDir, encoding: 'utf8', env: { ...process.env, VLP_EXECUTOR: TINY_BLIP_METRICS.engine } });
    const question = shapesVLSample(0, 'test', 0).questions[0] as { question: string; answer: string };
    expect(stdout).toMatch(/^caption: \S/m);
    expect(stdout).toContain(`${question.question} → `);
    const { retrieval, captioning, vqa } = TINY_BLIP_METRICS.subset;
    expect(stdout).toContain(`t2i R@1: ${retrieval.t2i.r1} | CIDEr-D: ${captioning.ciderD} | VQA: ${vqa.accuracy}`);
  });
});
