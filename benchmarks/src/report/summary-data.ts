import type { CellResult } from '../results/schema.js';
import type { TaskId } from '../suite/types.js';

/** Which table a pruner's cells go to: matched weight sparsity, or matched fraction of parameters removed. */
export type TableKind = 'unstructured' | 'structured';

/** One row of a summary table: a method's primary metric per target column (mean and std over seeds). */
export interface SummaryRow {
  readonly prunerId: string;
  /** Per column: `{ mean, std, seeds }`, `failed`, or undefined when the cell is missing. */
  readonly values: readonly ({ mean: number; std: number; seeds: number } | 'failed' | undefined)[];
}

/** One table: a model × task × kind × phase (one-shot or recovered). */
export interface SummaryTable {
  readonly modelId: string;
  readonly task: TaskId;
  readonly metric: string;
  readonly kind: TableKind;
  readonly phase: 'oneShot' | 'recovered';
  /** Column targets: sparsities, or compression ratios for structured tables. */
  readonly columns: readonly { readonly sparsity: number; readonly compression: number | null }[];
  /** The dense model's value (same in every column). */
  readonly dense: number | undefined;
  readonly rows: readonly SummaryRow[];
  /** Per column, the indices of the best rows (highest mean; ties all marked). */
  readonly best: readonly (readonly number[])[];
}

const kindOf = (r: CellResult): TableKind => (r.pruner.granularity === 'structured' ? 'structured' : 'unstructured');

function stats(values: number[]): { mean: number; std: number; seeds: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.length > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, std: Math.sqrt(variance), seeds: values.length };
}

/**
 * Builds the summary tables from results: one per model × task × kind (unstructured / structured)
 * × phase (one-shot, and recovered when any cell was fine-tuned). Rows follow `prunerOrder`;
 * columns are the targets present, ascending; values are means over seeds of the task's primary
 * metric; `best` marks the highest mean per column.
 */
export function summaryTables(results: readonly CellResult[], prunerOrder: readonly string[]): SummaryTable[] {
  const tables: SummaryTable[] = [];
  const models = [...new Set(results.map((r) => r.model.id))];
  for (const modelId of models) {
    const mine = results.filter((r) => r.model.id === modelId);
    const denseCell = mine.find((r) => r.pruner.id === 'dense' && r.status === 'ok');
    const tasks = [...new Set(mine.flatMap((r) => Object.keys(r.primary) as TaskId[]))];
    for (const task of tasks) {
      const metric = mine.find((r) => r.primary[task])?.primary[task] ?? '';
      for (const kind of ['unstructured', 'structured'] as const) {
        const cells = mine.filter((r) => r.pruner.id !== 'dense' && kindOf(r) === kind);
        if (cells.length === 0) continue;
        const columns = [...new Map(cells.map((r) => [r.target.sparsity, { sparsity: r.target.sparsity, compression: r.target.compression }])).values()].sort((a, b) => a.sparsity - b.sparsity);
        const pruners = [...new Set(cells.map((r) => r.pruner.id))].sort((a, b) => rank(prunerOrder, a) - rank(prunerOrder, b));
        const phases = cells.some((r) => r.metrics.recovered) ? (['oneShot', 'recovered'] as const) : (['oneShot'] as const);
        for (const phase of phases) {
          const rows: SummaryRow[] = pruners.map((prunerId) => ({
            prunerId,
            values: columns.map((col) => {
              const at = cells.filter((r) => r.pruner.id === prunerId && r.target.sparsity === col.sparsity);
              if (at.length === 0) return undefined;
              const ok = at.map((r) => r.metrics[phase]?.[task]?.[metric]).filter((v): v is number => typeof v === 'number');
              return ok.length > 0 ? stats(ok) : 'failed';
            }),
          }));
          const best = columns.map((_, c) => {
            const means = rows.map((row) => row.values[c]).map((v) => (typeof v === 'object' ? v.mean : Number.NEGATIVE_INFINITY));
            const top = Math.max(...means);
            return top === Number.NEGATIVE_INFINITY ? [] : means.flatMap((m, i) => (m === top ? [i] : []));
          });
          const dense = denseCell?.metrics.oneShot[task]?.[metric];
          tables.push({ modelId, task, metric, kind, phase, columns, dense, rows, best });
        }
      }
    }
  }
  return tables;
}

function rank(order: readonly string[], id: string): number {
  const i = order.indexOf(id);
  return i < 0 ? order.length : i;
}
