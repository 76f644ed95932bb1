import cliProgress from 'cli-progress';
import type { BenchEvent } from '../../run/events.js';
import { describeCell, describeOutcome } from './describe-cell.js';

/**
 * Progress bars on a TTY (cli-progress MultiBar on stderr): the run's cells, and the current cell's
 * phase with its step count (units scored, recovery steps). Finished cells are logged above the bars.
 */
export function barProgress(stream: NodeJS.WriteStream): { onEvent: (event: BenchEvent) => void; stop: () => void } {
  const multi = new cliProgress.MultiBar(
    { stream, clearOnComplete: false, hideCursor: true, format: '{label} |{bar}| {value}/{total} {detail}', barsize: 30, etaBuffer: 20 },
    cliProgress.Presets.shades_classic,
  );
  let run: cliProgress.SingleBar | undefined;
  let cell: cliProgress.SingleBar | undefined;
  let current = '';
  let stopped = false;
  return {
    onEvent(event) {
      switch (event.type) {
        case 'run-start':
          run = multi.create(event.total, event.done, { label: 'cells', detail: event.suite });
          cell = multi.create(1, 0, { label: 'cell ', detail: '' });
          break;
        case 'cell-start':
          current = describeCell(event.cell);
          cell?.setTotal(1);
          cell?.update(0, { detail: current });
          break;
        case 'cell-phase':
          cell?.setTotal(1);
          cell?.update(0, { detail: `${current}: ${event.phase}` });
          break;
        case 'cell-step':
          cell?.setTotal(event.total);
          cell?.update(event.step, { detail: `${current}: ${event.phase}` });
          break;
        case 'cell-end':
          multi.log(`${describeCell({ ...event.result.target, modelId: event.result.model.id, prunerId: event.result.pruner.id, compression: event.result.target.compression ?? undefined })}: ${describeOutcome(event.result)}\n`);
          run?.increment(1);
          break;
        case 'warning':
          multi.log(`warning: ${event.message}\n`);
          break;
        default:
          break;
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      multi.stop();
    },
  };
}
