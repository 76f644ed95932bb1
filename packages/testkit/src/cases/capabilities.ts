import { CalibrationRequiredError } from '@vlp/core';
import { type CaseContext, describeError, rejectionOf } from '../conformance/context.js';

/** Declared requirements match behaviour: required inputs are reported clearly when missing; undeclared ones are really optional. */
export function capabilityCases(c: CaseContext): void {
  const { requires } = c.pruner.capabilities;
  const needsTask = requires.gradients || requires.training || requires.evaluator;

  if (requires.calibration) {
    c.test('rejects a run without calibration data with VLP_CALIBRATION_REQUIRED', async () => {
      const error = await c.withView((view) => rejectionOf(c.run(view, {}, { calibration: undefined })));
      c.expectNoProblems(CalibrationRequiredError.isInstance(error) ? [] : [`expected VLP_CALIBRATION_REQUIRED, got ${error === undefined ? 'a result' : describeError(error)}`]);
    });
  } else {
    c.test('runs without calibration data (requires.calibration is false)', async () => {
      const error = await c.withView((view) => rejectionOf(c.run(view, {}, { calibration: undefined })));
      c.expectNoProblems(
        error === undefined
          ? []
          : [`without calibration data it failed with ${describeError(error)}; a pruner that needs calibration must declare capabilities.requires.calibration: true`],
      );
    });
  }

  if (needsTask) {
    c.test('rejects a run without a task with VLP_CALIBRATION_REQUIRED', async () => {
      const error = await c.withView((view) => rejectionOf(c.run(view, {}, { task: undefined })));
      c.expectNoProblems(CalibrationRequiredError.isInstance(error) ? [] : [`expected VLP_CALIBRATION_REQUIRED, got ${error === undefined ? 'a result' : describeError(error)}`]);
    });
  } else {
    c.test('runs without a task (requires no gradients, training or evaluator)', async () => {
      const error = await c.withView((view) => rejectionOf(c.run(view, {}, { task: undefined })));
      c.expectNoProblems(
        error === undefined
          ? []
          : [`without a task it failed with ${describeError(error)}; declare capabilities.requires.gradients/training/evaluator: true if the pruner needs one`],
      );
    });
  }
}
