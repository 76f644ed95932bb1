import type { PruneEvent } from '@vlp/core';
import type { CaseContext } from '../conformance/context.js';

const MAX_REPORTED = 10;

type Open = { unit: string; index: number } | undefined;

/** Problems of an event sequence: prune-start first and prune-end last (once each), unit-score and calibration events paired and ordered. */
export function eventProblems(events: readonly PruneEvent[]): string[] {
  const problems: string[] = [];
  const count = (type: PruneEvent['type']) => events.filter((e) => e.type === type).length;
  if (events[0]?.type !== 'prune-start') problems.push(`the first event is ${events[0]?.type ?? 'missing'}, not prune-start`);
  if (events.at(-1)?.type !== 'prune-end') problems.push(`the last event is ${events.at(-1)?.type ?? 'missing'}, not prune-end`);
  if (count('prune-start') !== 1 || count('prune-end') !== 1) problems.push('prune-start and prune-end are emitted by prune() only; a pruner must not emit them');
  let open: Open;
  let calibration: { batches: number; lastIndex: number } | undefined;
  events.forEach((e, i) => {
    const at = `event #${i} (${e.type})`;
    if (e.type === 'unit-score-start') {
      if (open) problems.push(`${at} for ${e.unit} while ${open.unit} is still being scored`);
      if (!(Number.isInteger(e.index) && e.index >= 0 && e.index < e.total)) problems.push(`${at}: index ${e.index} not in [0, ${e.total})`);
      open = { unit: e.unit, index: e.index };
    } else if (e.type === 'unit-score-end') {
      if (!open) problems.push(`${at} for ${e.unit} without a unit-score-start`);
      else if (open.unit !== e.unit || open.index !== e.index) problems.push(`${at} for ${e.unit}#${e.index} but ${open.unit}#${open.index} is open`);
      open = undefined;
    } else if (e.type === 'calibration-start') {
      if (calibration) problems.push(`${at} inside another calibration`);
      calibration = { batches: 0, lastIndex: -1 };
    } else if (e.type === 'calibration-batch-end') {
      if (!calibration) problems.push(`${at} outside calibration-start … calibration-end`);
      else {
        if (e.index <= calibration.lastIndex) problems.push(`${at}: batch index ${e.index} does not increase`);
        calibration.batches++;
        calibration.lastIndex = e.index;
      }
    } else if (e.type === 'calibration-end') {
      if (!calibration) problems.push(`${at} without calibration-start`);
      else if (e.batches !== calibration.batches) problems.push(`${at} says ${e.batches} batches, ${calibration.batches} calibration-batch-end events were emitted`);
      calibration = undefined;
    }
  });
  if (open) problems.push(`unit-score-start for ${open.unit} never ended`);
  if (calibration) problems.push('calibration-start never ended');
  return problems.length > MAX_REPORTED ? [...problems.slice(0, MAX_REPORTED), `… ${problems.length - MAX_REPORTED} more`] : problems;
}

/** Events come in a valid order. */
export function eventCases(c: CaseContext): void {
  c.test('emits prune-start first, prune-end last, and paired, ordered progress events', async () => {
    const events: PruneEvent[] = [];
    await c.withView((view) => c.run(view, {}, { onEvent: (e) => events.push(e) }));
    c.expectNoProblems(eventProblems(events));
  });
}
