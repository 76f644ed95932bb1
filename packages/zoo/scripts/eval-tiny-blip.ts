/**
 * `pnpm --filter @vlp/zoo eval:tiny-blip [--models DIR] [--no-write]`
 *
 * Evaluates the three tiny BLIP checkpoints (default: the embedded ones; `--models DIR` reads
 * `DIR/tiny-blip-itm` etc.) on the full Shapes-VL test split (1 000 images, 5 000 captions, 9 000
 * questions) and on the subset the tests re-evaluate (`TINY_BLIP_SUBSET`), with `evaluateTinyBlip`.
 * Unless `--no-write`, records the numbers in `src/tiny-blip/tiny-blip-metrics.ts` and in the
 * README's tiny-blip metrics table. Prints the table on stdout, progress on stderr.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend } from '@vlp/core';
import { type BlipForConditionalGeneration, type BlipForImageTextRetrieval, type BlipForQuestionAnswering, loadModel, resolveEngine } from '@vlp/models';
import { embeddedModelDir } from '../src/embedded-models.js';
import { evaluateTinyBlip } from '../src/tiny-blip/evaluate-tiny-blip.js';
import { renderTinyBlipMetricsSection, replaceTinyBlipMetricsSection } from '../src/tiny-blip/tiny-blip-metrics-table.js';
import { TINY_BLIP_SUBSET } from '../src/tiny-blip/tiny-blip-subset.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { models: { type: 'string' }, 'no-write': { type: 'boolean' } } });

await initBackend();
const dirOf = (name: string) => (values.models ? path.resolve(values.models, name) : embeddedModelDir(name));
const models = {
  itm: (await loadModel(dirOf('tiny-blip-itm'))) as BlipForImageTextRetrieval,
  caption: (await loadModel(dirOf('tiny-blip-caption'))) as BlipForConditionalGeneration,
  vqa: (await loadModel(dirOf('tiny-blip-vqa'))) as BlipForQuestionAnswering,
};
const engine = resolveEngine(undefined);
process.stderr.write(`evaluating ${path.dirname(dirOf('tiny-blip-itm'))}/tiny-blip-{itm,caption,vqa} on the Shapes-VL test split (engine ${engine})\n`);
const t0 = performance.now();
const onEvent = (e: { type: string; task?: string; durationMs?: number }) => {
  if (e.type === 'eval-end') process.stderr.write(`  ${e.task}: ${((e.durationMs ?? 0) / 1000).toFixed(1)} s\n`);
};
const full = await evaluateTinyBlip(models, { split: 'test', count: 1000, onEvent });
const subset = await evaluateTinyBlip(models, { split: 'test', ...TINY_BLIP_SUBSET, onEvent });
await Promise.all(Object.values(models).map((m) => m.dispose()));
process.stderr.write(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
const section = renderTinyBlipMetricsSection(full, subset, engine);
process.stdout.write(`${section}\n`);
if (!values['no-write']) {
  const metricsFile = path.join(packageDir, 'src', 'tiny-blip', 'tiny-blip-metrics.ts');
  const source = [
    '// Written by `pnpm --filter @vlp/zoo eval:tiny-blip`; do not edit by hand.',
    "import type { ShapesVLBlipMetrics } from './evaluate-tiny-blip.js';",
    '',
    '/** The tiny BLIP checkpoints on the Shapes-VL test split as measured by `eval:tiny-blip`, and the engine used. */',
    `export const TINY_BLIP_METRICS: { readonly engine: string; readonly full: ShapesVLBlipMetrics; readonly subset: ShapesVLBlipMetrics } = ${JSON.stringify({ engine, full, subset }, null, 2)};`,
    '',
  ].join('\n');
  await writeFile(metricsFile, source);
  const readmeFile = path.join(packageDir, 'README.md');
  await writeFile(readmeFile, replaceTinyBlipMetricsSection(await readFile(readmeFile, 'utf8'), section));
  process.stderr.write(`wrote ${path.relative(packageDir, metricsFile)} and README.md\n`);
}
