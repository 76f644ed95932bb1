import type { BenchEvent } from '../../run/events.js';
import { describeCell, describeOutcome } from './describe-cell.js';

/** Plain progress lines (no cursor movement): one when a cell starts and one when it ends. */
export function plainProgress(write: (line: string) => void): (event: BenchEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'run-start':
        write(`vlp bench: suite ${event.suite}, ${event.total} cells (${event.done} already finished) → ${event.runDir}`);
        break;
      case 'cell-start':
        write(`[${event.index}/${event.total}] ${describeCell(event.cell)} …`);
        break;
      case 'cell-end':
        write(`[${event.index}/${event.total}] ${event.result.status === 'ok' ? 'ok' : 'failed'}: ${describeOutcome(event.result)}`);
        break;
      case 'warning':
        write(`warning: ${event.message}`);
        break;
      case 'run-end':
        write(`vlp bench: ${event.status} in ${(event.durationMs / 1000).toFixed(1)} s${event.failed ? `, ${event.failed} failed cell(s)` : ''}`);
        break;
      default:
        break;
    }
  };
}
