import { InvalidArgumentError, type CalibrationSource } from '@vlp/core';

/** Endless batches from a source: restarts `batches()` whenever it ends. Throws when it is empty. */
export async function* cycleBatches<Batch>(source: CalibrationSource<Batch>): AsyncGenerator<Batch, never> {
  for (;;) {
    let any = false;
    for await (const batch of source.batches()) {
      any = true;
      yield batch;
    }
    if (!any) throw new InvalidArgumentError({ message: 'The task\'s training batches (task.train) are empty; UPop needs at least one batch.' });
  }
}
