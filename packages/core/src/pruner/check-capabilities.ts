import type { AnyPruner, CalibrationSource, TaskAdapter } from '../contract/pruner.js';
import type { PrunableView } from '../contract/view.js';
import { CalibrationRequiredError, UnsupportedArchitectureError } from '../errors/index.js';

/** What the caller passed that capabilities depend on. */
export interface CapabilityInputs {
  readonly calibration?: CalibrationSource<unknown>;
  readonly task?: TaskAdapter<unknown>;
}

/**
 * Checks that `pruner` can run on `view` with what the caller passed:
 * the view's architecture is supported (`VLP_UNSUPPORTED_ARCHITECTURE`), and calibration data,
 * a task loss (gradients, training) and a task evaluator are present when required
 * (`VLP_CALIBRATION_REQUIRED`, saying how to pass them).
 */
export function checkCapabilities(pruner: AnyPruner, view: PrunableView<unknown>, inputs: CapabilityInputs): void {
  const { architectures, requires } = pruner.capabilities;
  if (architectures !== '*' && !architectures.includes(view.architecture)) {
    throw new UnsupportedArchitectureError({
      message:
        `Pruner "${pruner.id}" does not support architecture "${view.architecture}"; it supports ${architectures.join(', ')}. ` +
        'Pick a pruner that lists this architecture (or "*") in capabilities.architectures.',
      expected: architectures,
      actual: view.architecture,
    });
  }
  if (requires.calibration && !inputs.calibration) {
    throw new CalibrationRequiredError({
      message:
        `Pruner "${pruner.id}" needs calibration data and none was given. ` +
        'Pass a CalibrationSource: prune(pruner, view, request, { calibration: { batches: () => ..., size } }) ' +
        '(the CLI takes --calibration <dataset>).',
    });
  }
  const needsLoss = requires.gradients ? 'gradients' : requires.training ? 'training' : undefined;
  if (needsLoss && typeof inputs.task?.loss !== 'function') {
    throw new CalibrationRequiredError({
      message:
        `Pruner "${pruner.id}" needs ${needsLoss === 'gradients' ? 'gradients of a task loss' : 'to train with a task loss'} ` +
        `and ${inputs.task ? `task "${inputs.task.id}" has no \`loss\`` : 'no task was given'}. ` +
        'Pass a task adapter with a differentiable loss: prune(pruner, view, request, { task }) (tasks come from @vlp/tasks).',
    });
  }
  if (requires.evaluator && typeof inputs.task?.evaluate !== 'function') {
    throw new CalibrationRequiredError({
      message:
        `Pruner "${pruner.id}" needs a task evaluator and ${inputs.task ? `task "${inputs.task.id}" has no \`evaluate\`` : 'no task was given'}. ` +
        'Pass a task adapter with `evaluate`: prune(pruner, view, request, { task }) (tasks come from @vlp/tasks).',
    });
  }
}
