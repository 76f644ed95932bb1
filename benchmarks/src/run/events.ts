import type { CellSpec } from '../grid/cells.js';
import type { CellResult } from '../results/schema.js';

/** What a cell is doing. */
export type CellPhase = 'load' | 'calibrate' | 'prune' | 'evaluate' | 'recover' | 'save';

/**
 * Progress of a benchmark run. The library only emits these; the CLI turns them into progress bars
 * (TTY) or plain lines on stderr.
 */
export type BenchEvent =
  | { readonly type: 'run-start'; readonly runDir: string; readonly suite: string; readonly total: number; readonly done: number }
  | { readonly type: 'cell-start'; readonly index: number; readonly total: number; readonly cell: CellSpec; readonly key: string }
  | { readonly type: 'cell-phase'; readonly key: string; readonly phase: CellPhase }
  | { readonly type: 'cell-step'; readonly key: string; readonly phase: CellPhase; readonly step: number; readonly total: number }
  | { readonly type: 'cell-end'; readonly index: number; readonly total: number; readonly result: CellResult }
  | { readonly type: 'warning'; readonly message: string }
  | { readonly type: 'run-end'; readonly runDir: string; readonly status: 'complete' | 'interrupted' | 'failed'; readonly failed: number; readonly durationMs: number };

/** Event sink; must not throw. */
export type BenchEventSink = (event: BenchEvent) => void;
