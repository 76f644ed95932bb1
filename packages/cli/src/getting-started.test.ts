import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, repoRoot, tempDir } from './__tests__/helpers.js';

/**
 * The docs test: runs every ```sh block of docs/getting-started.md, in order, with `vlp` on the PATH,
 * so the guide cannot rot. Blocks tagged ```sh norun (installing, enabling a GPU) are described, not
 * run; they may only appear under the install and GPU headings.
 *
 * The commands run in a scratch directory laid out like a checkout: `../shared` beside it is a link
 * to the real `../shared` beside the repository, so `../shared/fixtures/hf/clip-tiny` in the guide
 * reads the HF fixtures from there, while every output (`pruned/…`) stays in the temporary directory.
 */
interface Block {
  readonly heading: string;
  readonly info: string;
  readonly body: string;
}

function shellBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let heading = '';
  const re = /^(#{1,6} .*)$|^```(\S*)([^\n]*)\n([\s\S]*?)^```$/gm;
  for (const m of markdown.matchAll(re)) {
    if (m[1]) heading = m[1].replace(/^#+ /, '');
    else if (m[2] === 'sh') blocks.push({ heading, info: (m[3] ?? '').trim(), body: m[4] ?? '' });
  }
  return blocks;
}

const doc = readFileSync(path.join(repoRoot, 'docs/getting-started.md'), 'utf8');
const blocks = shellBlocks(doc);
const runnable = blocks.filter((b) => !b.info.includes('norun'));

const tmp = tempDir('vlp-docs-');
const work = path.join(tmp, 'repo');
const bin = path.join(tmp, 'bin');

function setUp(): void {
  if (existsSync(work)) return;
  mkdirSync(work);
  mkdirSync(bin);
  symlinkSync(path.resolve(repoRoot, '../shared'), path.join(tmp, 'shared'));
  writeFileSync(path.join(bin, 'vlp'), `#!/bin/sh\nexec "${process.execPath}" "${binPath}" "$@"\n`);
  chmodSync(path.join(bin, 'vlp'), 0o755);
}

describe('docs/getting-started.md', () => {
  it('has shell blocks, and only the install and GPU steps are not run', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(8);
    expect(blocks.filter((b) => b.info.includes('norun')).map((b) => b.heading)).toEqual(['1. Install', '6. Use a GPU (tfjs-node-gpu)']);
  });

  for (const [i, block] of runnable.entries()) {
    const first = block.body.trim().split('\n')[0] ?? '';
    it(`runs block ${i + 1} (${block.heading}): ${first.slice(0, 70)}`, () => {
      setUp();
      const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', block.body], {
        cwd: work,
        env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, CI: '1' },
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(result.status, `${block.body}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`).toBe(0);
      if (block.body.includes('--pruner mope')) expect(result.stdout).toMatch(/Compacted: 170\.9k → [\d.]+k parameters/);
    });
  }

  it('left the files the guide describes', () => {
    for (const f of ['tiny-clip-wanda/model/config.json', 'tiny-clip-wanda/masks.safetensors', 'tiny-clip-wanda/report.json', 'tiny-clip-wanda/layers.csv', 'clip-tiny-multiflow/model/model.safetensors', 'bench-smoke/report.html']) {
      expect(existsSync(path.join(work, 'pruned', f)), f).toBe(true);
    }
    expect(existsSync(path.join(work, 'pruned', 'never'))).toBe(false);
  });
});
