import type { BenchEvent } from '@vlp/bench';
import type { PruneEvent } from '@vlp/core';
import type { EvalEvent } from '@vlp/tasks';
import type { Progress } from './progress.js';

/** Turns `prune()` events into progress phases and steps. */
export function pruneEvents(progress: Progress): (event: PruneEvent) => void {
  let scoring = false;
  return (event) => {
    switch (event.type) {
      case 'prune-start':
        progress.phase(`prune ${event.pruner} to ${event.sparsity}`);
        break;
      case 'calibration-start':
        progress.phase('calibrate', event.batches);
        scoring = false;
        break;
      case 'calibration-batch-end':
        progress.step(event.index + 1, event.total);
        break;
      case 'unit-score-end':
        if (!scoring) {
          progress.phase('score units', event.total);
          scoring = true;
        }
        progress.step(event.index + 1, event.total);
        break;
      case 'step-end':
        progress.step(event.step, event.total);
        break;
      case 'warning':
        progress.note(`warning: ${event.message}`);
        break;
      case 'deprecation':
        progress.note(`deprecated: ${event.option}: ${event.message}`);
        break;
      default:
        break;
    }
  };
}

/** Turns evaluator events into progress phases and steps. */
export function evalEvents(progress: Progress): (event: EvalEvent) => void {
  return (event) => {
    if (event.type === 'eval-start') progress.phase(`evaluate ${event.task}`, event.batches);
    else if (event.type === 'eval-batch-end') progress.step(event.index + 1, event.total);
  };
}

/** Turns benchmark events into progress: one phase per cell, steps within it. */
export function benchEvents(progress: Progress): (event: BenchEvent) => void {
  let cell = '';
  return (event) => {
    switch (event.type) {
      case 'run-start':
        progress.note(`${event.suite}: ${event.total} cells (${event.done} already done) → ${event.runDir}`);
        break;
      case 'cell-start':
        cell = `cell ${event.index}/${event.total} ${event.cell.prunerId}${event.cell.sparsity ? ` @${event.cell.sparsity}` : ''}`;
        progress.phase(cell);
        break;
      case 'cell-phase':
        progress.phase(`${cell} ${event.phase}`);
        break;
      case 'cell-step':
        progress.step(event.step, event.total);
        break;
      case 'cell-end':
        progress.note(`${cell}: ${event.result.status}`);
        break;
      case 'warning':
        progress.note(`warning: ${event.message}`);
        break;
      case 'run-end':
        progress.stop();
        break;
      default:
        break;
    }
  };
}
