/**
 * `pnpm --filter @vlp/zoo eval:tiny-clip [--model DIR] [--no-write]`
 *
 * Evaluates tiny-clip (default: the embedded checkpoint) on the full Shapes-VL test split (1 000
 * images, 5 000 captions) and on the subset the tests re-evaluate (the first 100 images), with
 * `evaluateTinyClip` (zero-shot with `TINY_CLIP_TEMPLATES`, retrieval R@1/5/10 both ways). Unless
 * `--no-write`, records the numbers in `src/tiny-clip/tiny-clip-metrics.ts` and in the README's
 * metrics table. Prints the table on stdout, progress on stderr.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend } from '@vlp/core';
import { type ClipModel, loadModel, resolveEngine } from '@vlp/models';
import { embeddedModelDir } from '../src/embedded-models.js';
import { evaluateTinyClip } from '../src/tiny-clip/evaluate-tiny-clip.js';
import { renderMetricsSection, replaceMetricsSection } from '../src/tiny-clip/metrics-table.js';
import { TINY_CLIP_SUBSET } from '../src/tiny-clip/tiny-clip-subset.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { model: { type: 'string' }, 'no-write': { type: 'boolean' } } });

await initBackend();
const dir = path.resolve(values.model ?? embeddedModelDir('tiny-clip'));
const model = (await loadModel(dir)) as ClipModel;
const engine = resolveEngine(undefined);
process.stderr.write(`evaluating ${dir} on the Shapes-VL test split (engine ${engine})\n`);
const t0 = performance.now();
const full = await evaluateTinyClip(model, { split: 'test', count: 1000 });
const subset = await evaluateTinyClip(model, { split: 'test', ...TINY_CLIP_SUBSET });
await model.dispose();
process.stderr.write(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
const section = renderMetricsSection(full, subset, engine);
process.stdout.write(`${section}\n`);
if (!values['no-write']) {
  const metricsFile = path.join(packageDir, 'src', 'tiny-clip', 'tiny-clip-metrics.ts');
  const source = [
    '// Written by `pnpm --filter @vlp/zoo eval:tiny-clip`; do not edit by hand.',
    "import type { ShapesVLClipMetrics } from './evaluate-tiny-clip.js';",
    '',
    '/** tiny-clip on the Shapes-VL test split as measured by `eval:tiny-clip` (percent), and the engine used. */',
    `export const TINY_CLIP_METRICS: { readonly engine: string; readonly full: ShapesVLClipMetrics; readonly subset: ShapesVLClipMetrics } = ${JSON.stringify({ engine, full, subset }, null, 2)};`,
    '',
  ].join('\n');
  await writeFile(metricsFile, source);
  const readmeFile = path.join(packageDir, 'README.md');
  await writeFile(readmeFile, replaceMetricsSection(await readFile(readmeFile, 'utf8'), section));
  process.stderr.write(`wrote ${path.relative(packageDir, metricsFile)} and README.md\n`);
}
