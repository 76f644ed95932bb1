import type { RunManifest } from '../run/manifest.js';
import type { CellResult } from '../results/schema.js';
import { column, fraction, mib, metric, seconds, si } from './format.js';
import type { SummaryTable } from './summary-data.js';

/** A rendered table: header and rows of plain strings; `bold[r][c]` marks the best value. */
export interface TextTable {
  readonly title: string;
  readonly note: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly bold: readonly (readonly boolean[])[];
  /** Per column: left or right aligned. */
  readonly align: readonly ('l' | 'r')[];
}

/** The display name of a pruner id (from run.json), `dense` for the dense model. */
export function displayName(manifest: RunManifest, id: string): string {
  if (id === 'dense') return 'dense';
  return manifest.pruners.find((p) => p.id === id)?.displayName ?? id;
}

/** The one statement every report makes about what masks do and do not buy. */
export const SPEEDUP_NOTE =
  'Unstructured (and N:M) pruning zeroes weights in place: the model keeps its size, and dense kernels run no faster ' +
  '(FLOPs "after" equal "before"; "effective" counts only the non-zero weights, a theoretical figure). ' +
  'Structured pruning removes heads, neurons or layers; the compacted model is smaller and faster.';

/** A summary table as text: dense row on top, best value per column marked. */
export function summaryTextTable(manifest: RunManifest, t: SummaryTable): TextTable {
  // a model may run its own recovery settings (run.json models[].grid; older files: the suite's)
  const recovery = manifest.models.find((m) => m.id === t.modelId)?.grid?.recovery ?? manifest.suite.definition.recovery;
  const phase = t.phase === 'oneShot' ? 'one-shot' : `after recovery: ${recovery ? recovery.steps : 0} steps, masks fixed`;
  const note =
    t.kind === 'unstructured'
      ? 'Unstructured / N:M methods at matched sparsity of prunable weights.'
      : 'Structured methods at matched fraction of prunable parameters removed (compression ratio).';
  const header = ['method', ...t.columns.map(column)];
  const denseRow = ['dense', ...t.columns.map(() => (t.dense === undefined ? '–' : metric(t.dense)))];
  const rows = t.rows.map((r) => [
    displayName(manifest, r.prunerId),
    ...r.values.map((v) => (v === undefined ? '–' : v === 'failed' ? 'failed' : v.seeds > 1 ? `${metric(v.mean)} ± ${metric(v.std)}` : metric(v.mean))),
  ]);
  const bold = [header.map(() => false), ...t.rows.map((_, i) => [false, ...t.columns.map((__, c) => t.best[c]?.includes(i) ?? false)])];
  return { title: `${t.modelId} · ${t.task} · ${t.metric} · ${t.kind} (${phase})`, note: `${note} Best per column in bold.`, header, rows: [denseRow, ...rows], bold, align: header.map((_, i) => (i === 0 ? 'l' : 'r')) };
}

/** The per-cell details table: sparsity realised, size, FLOPs, time, memory, status. */
export function cellsTextTable(manifest: RunManifest, results: readonly CellResult[]): TextTable {
  const header = ['model', 'method', 'target', 'seed', 'realised (overall · per modality)', 'params after (non-zero)', 'FLOPs before → after (effective)', 'prune s', 'peak RSS MiB', 'status'];
  const rows = results.map((r) => [
    r.model.id,
    displayName(manifest, r.pruner.id),
    r.pruner.id === 'dense' ? '–' : column(r.target),
    String(r.target.seed),
    r.sparsity ? `${fraction(r.sparsity.overall)} · ${Object.entries(r.sparsity.perModality).map(([m, s]) => `${m} ${fraction(s as number)}`).join(', ')}` : '–',
    r.params ? `${si(r.params.after)} (${si(r.params.nonzeroAfter)})` : '–',
    r.flops ? `${si(r.flops.before)} → ${si(r.flops.after)} (${si(r.flops.effectiveAfter)})` : '–',
    seconds(r.timings.pruneMs),
    mib(r.memory.peakRssBytes),
    r.status === 'ok' ? 'ok' : `failed: ${r.error?.code ?? ''}`,
  ]);
  return { title: 'Cells', note: 'One row per cell (results.jsonl has every number).', header, rows, bold: rows.map((row) => row.map(() => false)), align: header.map((_, i) => (i < 2 || i === 4 || i === 9 ? 'l' : 'r')) };
}

/**
 * Per-stage figures of the pruners that report them (`prunerReport`: ECoFLaP's `stage1`/`stage2`
 * times and peak memory): one row per such cell, or null when no cell has them.
 */
export function stagesTextTable(manifest: RunManifest, results: readonly CellResult[]): TextTable | null {
  const staged = results.filter((r) => r.prunerReport?.metrics.stage1PeakTensorBytes !== undefined);
  if (staged.length === 0) return null;
  const header = ['model', 'method', 'target', 'stage 1 s', 'stage 1 peak tfjs MiB', 'stage 1 peak RSS MiB', 'stage 2 s', 'stage 2 peak tfjs MiB', 'stage 2 peak RSS MiB'];
  const num = (v: number | undefined, f: (x: number) => string) => (v === undefined ? '–' : f(v));
  const mib1 = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  const rows = staged.map((r) => {
    const { timings, metrics } = r.prunerReport!;
    return [
      r.model.id,
      displayName(manifest, r.pruner.id),
      column(r.target),
      num(timings.stage1, seconds),
      num(metrics.stage1PeakTensorBytes, mib1),
      num(metrics.stage1PeakRssBytes, mib),
      num(timings.stage2, seconds),
      num(metrics.stage2PeakTensorBytes, mib1),
      num(metrics.stage2PeakRssBytes, mib),
    ];
  });
  return {
    title: 'Pruner stages',
    note: "Times and peak memory of each stage as the pruner reports them (results.jsonl `prunerReport`). Peak tfjs = the largest tfjs tensor memory while the stage ran; peak RSS = the process's resident set (includes everything the process held before the stage, e.g. earlier cells).",
    header,
    rows,
    bold: rows.map((row) => row.map(() => false)),
    align: header.map((_, i) => (i < 2 ? 'l' : 'r')),
  };
}
