import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { CellRecord } from '../results/schema.js';
import type { TaskId } from '../suite/types.js';

/** A plot to write: file name under `plots/`, title, and its Vega-Lite spec (saved next to the SVG). */
export interface PlotSpec {
  readonly file: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');

/**
 * Metric vs target sparsity for one model × task: one line per method (mean over seeds), solid
 * one-shot and dashed after recovery, the dense model as a grey rule.
 */
export function metricPlot(records: readonly CellRecord[], modelId: string, task: TaskId, names: (id: string) => string): PlotSpec | undefined {
  const mine = records.filter((r) => r.model.id === modelId && r.status === 'ok');
  const metric = mine.find((r) => r.primary[task])?.primary[task];
  if (!metric) return undefined;
  const points = new Map<string, { method: string; phase: string; sparsity: number; sum: number; n: number }>();
  for (const r of mine) {
    if (r.pruner.id === 'dense') continue;
    for (const phase of ['oneShot', 'recovered'] as const) {
      const v = r.metrics[phase]?.[task]?.[metric];
      if (typeof v !== 'number') continue;
      const key = `${r.pruner.id}|${phase}|${r.target.sparsity}`;
      const p = points.get(key) ?? { method: names(r.pruner.id), phase: phase === 'oneShot' ? 'one-shot' : 'recovered', sparsity: r.target.sparsity, sum: 0, n: 0 };
      p.sum += v;
      p.n += 1;
      points.set(key, p);
    }
  }
  if (points.size === 0) return undefined;
  const values = [...points.values()].map((p) => ({ method: p.method, phase: p.phase, sparsity: p.sparsity, value: p.sum / p.n }));
  const dense = mine.find((r) => r.pruner.id === 'dense')?.metrics.oneShot[task]?.[metric];
  const title = `${modelId} · ${task}: ${metric} vs sparsity`;
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 420,
    height: 260,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'sparsity', type: 'quantitative', title: 'target sparsity (fraction of prunable weights / parameters removed)', scale: { zero: false } },
          y: { field: 'value', type: 'quantitative', title: metric },
          color: { field: 'method', type: 'nominal', title: 'method' },
          strokeDash: { field: 'phase', type: 'nominal', title: 'phase', sort: ['one-shot', 'recovered'], legend: { symbolType: 'stroke', symbolStrokeWidth: 2, encode: { symbols: { update: { stroke: { value: '#444' } } } } } },
        },
      },
      ...(typeof dense === 'number'
        ? [{ data: { values: [{ dense }] }, mark: { type: 'rule', color: '#888', strokeDash: [2, 2] }, encoding: { y: { field: 'dense', type: 'quantitative' } } }]
        : []),
    ],
  } as unknown as TopLevelSpec;
  return { file: `${safe(modelId)}-${safe(task)}.svg`, title, spec };
}

/** Realised sparsity of every prunable unit for one method on one model (first seed), a row per target, coloured by modality. */
export function layerPlot(records: readonly CellRecord[], modelId: string, prunerId: string, names: (id: string) => string): PlotSpec | undefined {
  const cells = records.filter((r) => r.model.id === modelId && r.pruner.id === prunerId && r.status === 'ok' && r.perUnit.length > 0);
  const firstSeed = Math.min(...cells.map((r) => r.target.seed));
  const values = cells
    .filter((r) => r.target.seed === firstSeed)
    .flatMap((r) => r.perUnit.map((u, i) => ({ order: i, layer: `${u.blockId} ${u.role}`, modality: u.modality, sparsity: u.sparsity, target: r.target.sparsity.toFixed(2) })));
  if (values.length === 0) return undefined;
  const title = `${modelId} · ${names(prunerId)}: realised sparsity per layer`;
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values },
    mark: 'bar',
    width: Math.max(240, Math.min(1200, 8 * new Set(values.map((v) => v.order)).size)),
    height: 90,
    encoding: {
      x: { field: 'layer', type: 'ordinal', sort: { field: 'order' }, title: 'prunable unit (view order)', axis: { labelFontSize: 7, labelAngle: -90 } },
      y: { field: 'sparsity', type: 'quantitative', title: 'realised', scale: { domain: [0, 1] } },
      color: { field: 'modality', type: 'nominal', title: 'modality' },
      row: { field: 'target', type: 'ordinal', title: 'target sparsity' },
    },
  } as unknown as TopLevelSpec;
  return { file: `layers-${safe(modelId)}-${safe(prunerId)}.svg`, title, spec };
}

/** Renders a Vega-Lite spec to SVG text headlessly (no canvas, no DOM). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
