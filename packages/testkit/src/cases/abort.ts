import { AbortedError, type PruneEvent } from '@vlp/core';
import { type CaseContext, describeError, rejectionOf } from '../conformance/context.js';
import { watchView } from '../conformance/watch-view.js';

/** Work a pruner may still do after the signal fires (the step in flight). */
export const ABORT_SLACK = 3;

const PROGRESS = new Set<PruneEvent['type']>(['unit-score-start', 'calibration-batch-end', 'step-end']);

/** An aborted signal rejects with `VLP_ABORTED`: before the start, and promptly when it fires mid-run. */
export function abortCases(c: CaseContext): void {
  c.test('rejects an already-aborted signal with VLP_ABORTED', async () => {
    const error = await c.withView((view) => rejectionOf(c.run(view, {}, { signal: AbortSignal.abort() })));
    c.expectNoProblems(AbortedError.isInstance(error) ? [] : [`expected VLP_ABORTED, got ${error === undefined ? 'a result' : describeError(error)}`]);
  });

  c.test(`stops with VLP_ABORTED when aborted mid-run (at most ${ABORT_SLACK} more steps)`, async () => {
    const controller = new AbortController();
    let fired = false;
    let stepsAfter = 0;
    const step = (isProgress: boolean) => {
      if (!fired) {
        fired = true;
        controller.abort(new Error('aborted mid-run by the conformance suite'));
      } else if (isProgress) stepsAfter++;
    };
    const onEvent = (e: PruneEvent) => {
      if (e.type !== 'prune-start' && e.type !== 'prune-end') step(PROGRESS.has(e.type));
    };
    const error = await c.withView((view) =>
      rejectionOf(c.run(watchView(view, () => step(true)), {}, { signal: controller.signal, onEvent })),
    );
    const problems: string[] = [];
    if (!fired) problems.push('the pruner neither emitted progress events nor read the view, so it could not be aborted mid-run');
    else if (!AbortedError.isInstance(error)) problems.push(`expected VLP_ABORTED, got ${error === undefined ? 'a result' : describeError(error)}`);
    if (stepsAfter > ABORT_SLACK) {
      problems.push(
        `it kept working after the abort (${stepsAfter} more view reads/progress events); ` +
          'call throwIfAborted(ctx.signal) between units, batches and steps',
      );
    }
    c.expectNoProblems(problems);
  });
}
