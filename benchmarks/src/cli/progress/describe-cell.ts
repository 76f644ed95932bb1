import type { CellSpec } from '../../grid/cells.js';
import type { CellResult } from '../../results/schema.js';

/** `wanda @ 0.75 seed 0 on tiny-clip`, `upop @ 2× seed 0 …`, `dense tiny-clip`. */
export function describeCell(cell: Pick<CellSpec, 'modelId' | 'prunerId' | 'sparsity' | 'compression' | 'seed'>): string {
  if (cell.prunerId === 'dense') return `dense ${cell.modelId}`;
  const target = cell.compression ? `${cell.compression}×` : cell.sparsity.toFixed(2);
  return `${cell.prunerId} @ ${target} seed ${cell.seed} on ${cell.modelId}`;
}

/** `zero-shot top1 45.20 → 52.10, retrieval r1Mean 30.00` (one-shot → recovered), or the error. */
export function describeOutcome(r: CellResult): string {
  if (r.status === 'failed') return `FAILED ${r.error?.code ?? ''}: ${r.error?.message ?? ''}`;
  const parts = Object.entries(r.primary).map(([task, metric]) => {
    const one = r.metrics.oneShot[task as keyof typeof r.metrics.oneShot]?.[metric as string];
    const rec = r.metrics.recovered?.[task as keyof typeof r.metrics.oneShot]?.[metric as string];
    return `${task} ${metric} ${one?.toFixed(2) ?? '–'}${rec === undefined ? '' : ` → ${rec.toFixed(2)}`}`;
  });
  return `${parts.join(', ')} (${(r.timings.totalMs / 1000).toFixed(1)} s)`;
}
