import type { AnyPruner, PruneReport } from '@vlp/core';
import type { ResolvedModel } from '../model/resolve-model.js';
import { VERSION } from '../version.js';
import { count, percent, renderTable } from './table.js';

/** One line of the per-layer report (`layers.csv`, the terminal table). */
export interface LayerRow {
  readonly layer: string;
  readonly modality: string;
  readonly block: string;
  readonly role: string;
  readonly params: number;
  readonly target?: number;
  readonly realized: number;
}

/** The per-unit lines of a prune report. */
export function layerRows(report: PruneReport): LayerRow[] {
  return report.sparsity.perUnit.map((u) => ({ layer: u.unit, modality: u.modality, block: u.blockId, role: u.role, params: u.numel, ...(u.target === undefined ? {} : { target: Number(u.target.toFixed(6)) }), realized: Number(u.sparsity.toFixed(6)) }));
}

/** The per-layer table printed after `vlp prune`. */
export function renderLayerTable(rows: readonly LayerRow[]): string {
  return renderTable(
    ['layer', 'modality', 'params', 'target', 'realised'],
    rows.map((r) => [r.layer, r.modality, count(r.params), r.target === undefined ? '' : percent(r.target), percent(r.realized)]),
    ['left', 'left', 'right', 'right', 'right'],
  );
}

/** `report.json`: what was pruned, how, and the realised sparsity per unit, modality and block. */
export function reportJson(args: {
  report: PruneReport;
  pruner: AnyPruner;
  model: ResolvedModel;
  architecture: string;
  backend: string;
  calibration: string;
  compacted: boolean;
  paramsBefore: number;
  paramsAfter: number;
}) {
  const { report } = args;
  return {
    format: 'vlp-prune-report',
    version: 1,
    generator: `@vlp/cli ${VERSION}`,
    createdAt: new Date().toISOString(),
    model: { spec: args.model.label, dir: args.model.dir, architecture: args.architecture },
    pruner: { id: args.pruner.id, version: args.pruner.version, granularity: args.pruner.capabilities.granularity, config: report.config },
    request: report.request,
    calibration: args.calibration,
    backend: args.backend,
    compacted: args.compacted,
    params: { before: args.paramsBefore, after: args.paramsAfter },
    sparsity: { total: report.sparsity.total, perModality: report.sparsity.perModality, perBlock: report.sparsity.perBlock },
    layers: layerRows(report),
    timings: report.timings,
    metrics: report.metrics,
    notes: report.notes,
  };
}
