import { markdownTable } from 'markdown-table';
import type { CellResult } from '../results/schema.js';
import type { RunManifest } from '../run/manifest.js';
import { SPEEDUP_NOTE, type TextTable, cellsTextTable, stagesTextTable, summaryTextTable } from './report-model.js';
import type { SummaryTable } from './summary-data.js';

const escape = (s: string) => s.replaceAll('|', '\\|');

function markdown(t: TextTable): string {
  const rows = t.rows.map((row, r) => row.map((cell, c) => (t.bold[r]?.[c] ? `**${escape(cell)}**` : escape(cell))));
  return `## ${t.title}\n\n${t.note}\n\n${markdownTable([t.header.map(escape), ...rows], { align: [...t.align] })}\n`;
}

/** The run's header lines: suite, status, git, Node, backend, engine, data, seeds. */
export function runHeader(manifest: RunManifest): string[] {
  const e = manifest.environment;
  const git = e.git ? `git ${e.git.sha.slice(0, 10)}${e.git.dirty ? ' (dirty)' : ''}` : 'git unknown';
  return [
    `Run \`${manifest.runId}\` · status ${manifest.status} · started ${manifest.startedAt}${manifest.endedAt ? ` · ended ${manifest.endedAt}` : ''}`,
    `${git} · Node ${e.node} · ${e.cpu.count} × ${e.cpu.model} · tfjs backend ${manifest.backend.tfjs} · forward engine ${manifest.backend.engine}, gradients ${manifest.backend.gradients}`,
    `Data ${manifest.data.id}${manifest.limit !== null ? ` · --limit ${manifest.limit}` : ''} · seeds ${manifest.seeds.join(', ')}${manifest.shard ? ` · shard ${manifest.shard.index}/${manifest.shard.count}` : ''}`,
  ];
}

/** `summary.md`: one table per model × task (and kind, phase), then every cell's details. */
export function summaryMarkdown(manifest: RunManifest, tables: readonly SummaryTable[], results: readonly CellResult[]): string {
  const parts = [
    `# vlp bench · suite \`${manifest.suite.id}\`\n`,
    `${manifest.suite.description}\n`,
    `${runHeader(manifest).join('  \n')}\n`,
    `> ${SPEEDUP_NOTE}\n`,
    ...tables.map((t) => markdown(summaryTextTable(manifest, t))),
    markdown(cellsTextTable(manifest, results)),
  ];
  const stages = stagesTextTable(manifest, results);
  if (stages) parts.push(markdown(stages));
  return parts.join('\n');
}
