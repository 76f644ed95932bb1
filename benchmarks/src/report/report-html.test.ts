import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrunerRegistry } from '@vlp/core';
import { baselinePruners } from '@vlp/baselines';
import { headsAndNeuronsPruner, tempDir, tinySuite } from '../__tests__/helpers.js';
import { runBench } from '../run/run-bench.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// .ci/run installs Debian's chromium when it is absent; where that is impossible the test is skipped with the reason.
const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install -y chromium failed or is unavailable here)`;
if (missing) process.stderr.write(`report.html browser test skipped: ${missing}\n`);

describe('report.html in headless Chromium', () => {
  const tmp = tempDir();
  const runDir = path.join(tmp.dir, 'run');
  beforeAll(async () => {
    if (missing) return;
    const registry = createPrunerRegistry([...baselinePruners(), headsAndNeuronsPruner()]);
    await runBench({ suite: tinySuite({ pruners: ['random', 'magnitude', 'test-structured'], recovery: false }), runDir, registry, limit: 4 });
  });
  afterAll(() => tmp.cleanup());

  it.skipIf(missing !== undefined)(`opens from disk with every table and plot and no console error${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(path.join(runDir, 'report.html')).href, { waitUntil: 'load' });
      expect(await page.title()).toBe('vlp bench · tiny');
      const headings = await page.locator('section.summary h2').allTextContents();
      expect(headings).toEqual([
        'clip-tiny · zero-shot · top1 · unstructured (one-shot)',
        'clip-tiny · zero-shot · top1 · structured (one-shot)',
        'clip-tiny · retrieval · r1Mean · unstructured (one-shot)',
        'clip-tiny · retrieval · r1Mean · structured (one-shot)',
      ]);
      expect(await page.locator('section.summary table').count()).toBe(4);
      expect(await page.locator('section.summary tbody tr:first-child td:first-child').allTextContents()).toEqual(['dense', 'dense', 'dense', 'dense']);
      expect(await page.locator('td.best').count()).toBeGreaterThan(0);
      expect(await page.locator('section.cells tbody tr').count()).toBe(4);
      const plots = page.locator('figure.plot svg');
      expect(await plots.count()).toBe(5); // 2 metric plots + 3 per-layer plots
      for (const box of await Promise.all((await plots.all()).map((p) => p.boundingBox()))) {
        expect(box?.width ?? 0).toBeGreaterThan(100);
        expect(box?.height ?? 0).toBeGreaterThan(50);
      }
      expect(await page.locator('figure.plot svg path').count()).toBeGreaterThan(5);
      expect(await page.locator('blockquote').textContent()).toContain('dense kernels run no faster');
      expect(problems).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
