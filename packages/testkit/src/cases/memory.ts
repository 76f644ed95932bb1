import * as tf from '@tensorflow/tfjs';
import type { CaseContext } from '../conformance/context.js';

/** No tensor leaks: `tf.memory().numTensors` is unchanged by `prune()` with `apply: false` and with `apply: true`. */
export function memoryCases(c: CaseContext): void {
  c.test('does not leak tensors (apply: false, then apply: true)', async () => {
    const problems = await c.withView(async (view) => {
      await c.run(view); // warm-up: one-time backend allocations are not leaks
      const found: string[] = [];
      for (const apply of [false, true]) {
        const before = tf.memory().numTensors;
        await c.run(view, {}, { apply });
        const after = tf.memory().numTensors;
        if (after !== before) found.push(`apply: ${apply}: ${after - before} tensor(s) more after prune() (${before} → ${after}); dispose what you create (tf.tidy, dispose())`);
      }
      return found;
    });
    c.expectNoProblems(problems);
  });
}
