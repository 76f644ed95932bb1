import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { atomicWriteFile } from '@vlp/core';
import type { RunManifest } from '../run/manifest.js';
import { type CellRecord, resultLine } from '../results/schema.js';
import { displayName } from './report-model.js';
import { layerPlot, metricPlot, type PlotSpec, renderSvg } from './plots.js';
import { reportHtml } from './report-html.js';
import { summaryMarkdown } from './summary-markdown.js';
import { summaryTables } from './summary-data.js';

/**
 * Writes the human-facing outputs of a run from its cell records (grid order): `summary.md`,
 * `plots/*.svg` (+ their Vega-Lite specs as `*.vl.json`) and `report.html`, each atomically.
 * Returns the plot file names.
 */
export async function writeReports(runDir: string, manifest: RunManifest, records: readonly CellRecord[]): Promise<string[]> {
  const results = records.map(resultLine);
  const order = manifest.pruners.map((p) => p.id);
  const tables = summaryTables(results, order);
  const names = (id: string) => displayName(manifest, id);
  const plots: PlotSpec[] = [];
  for (const m of manifest.models) {
    for (const task of m.tasks) {
      const p = metricPlot(records, m.id, task, names);
      if (p) plots.push(p);
    }
  }
  for (const m of manifest.models) {
    for (const id of order) {
      const p = layerPlot(records, m.id, id, names);
      if (p) plots.push(p);
    }
  }
  await mkdir(path.join(runDir, 'plots'), { recursive: true });
  const rendered: { title: string; svg: string }[] = [];
  for (const p of plots) {
    const svg = await renderSvg(p.spec);
    await atomicWriteFile(path.join(runDir, 'plots', p.file), svg);
    await atomicWriteFile(path.join(runDir, 'plots', p.file.replace(/\.svg$/, '.vl.json')), `${JSON.stringify(p.spec, null, 1)}\n`);
    rendered.push({ title: p.title, svg });
  }
  await atomicWriteFile(path.join(runDir, 'summary.md'), summaryMarkdown(manifest, tables, results));
  await atomicWriteFile(path.join(runDir, 'report.html'), reportHtml(manifest, tables, results, rendered));
  return plots.map((p) => p.file);
}
