import type { CellResult } from '../results/schema.js';
import type { RunManifest } from '../run/manifest.js';
import { runHeader } from './summary-markdown.js';
import { SPEEDUP_NOTE, type TextTable, cellsTextTable, stagesTextTable, summaryTextTable } from './report-model.js';
import type { SummaryTable } from './summary-data.js';

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

function table(t: TextTable, className: string): string {
  const cls = (c: number) => (t.align[c] === 'l' ? ' class="l"' : '');
  const head = `<tr>${t.header.map((h, c) => `<th${cls(c)}>${esc(h)}</th>`).join('')}</tr>`;
  const body = t.rows
    .map((row, r) => `<tr>${row.map((cell, c) => (t.bold[r]?.[c] ? `<td class="best"><strong>${esc(cell)}</strong></td>` : `<td${cls(c)}>${esc(cell)}</td>`)).join('')}</tr>`)
    .join('\n');
  return `<section class="${className}"><h2>${esc(t.title)}</h2><p class="note">${esc(t.note)}</p><table><thead>${head}</thead><tbody>\n${body}\n</tbody></table></section>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}
th.l,td.l{text-align:left}td.best{background:#eef7ee}.note{color:#555;margin:.2rem 0}
.plot{margin:1rem 0}.plot svg{max-width:100%;height:auto}blockquote{border-left:4px solid #c90;margin:1rem 0;padding:.3rem 1rem;background:#fffbea}
header p{margin:.1rem 0;color:#444}`;

/**
 * `report.html`: a single static page that opens from disk (no scripts, no network): the run
 * header, the speed-up note, every summary table, the plots inlined as SVG, and the cells table.
 */
export function reportHtml(manifest: RunManifest, tables: readonly SummaryTable[], results: readonly CellResult[], plots: readonly { title: string; svg: string }[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vlp bench · ${esc(manifest.suite.id)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
<header><h1>vlp bench · suite <code>${esc(manifest.suite.id)}</code></h1><p>${esc(manifest.suite.description)}</p>
${runHeader(manifest).map((l) => `<p>${esc(l.replaceAll('`', ''))}</p>`).join('\n')}</header>
<blockquote>${esc(SPEEDUP_NOTE)}</blockquote>
<main>
${tables.map((t) => table(summaryTextTable(manifest, t), 'summary')).join('\n')}
<h2>Plots</h2>
${plots.map((p) => `<figure class="plot"><figcaption>${esc(p.title)}</figcaption>${p.svg.replace(/^<\?xml[^>]*>/, '')}</figure>`).join('\n')}
${table(cellsTextTable(manifest, results), 'cells')}
${((s) => (s ? table(s, 'cells') : ''))(stagesTextTable(manifest, results))}
</main>
</body></html>
`;
}
