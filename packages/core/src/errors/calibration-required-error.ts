import { VlpError, type VlpErrorDetails, hasMarker, setMarker } from './vlp-error.js';

const NAME = 'CalibrationRequiredError';

/** `VLP_CALIBRATION_REQUIRED`: The pruner needs calibration data or a task that was not given. */
export class CalibrationRequiredError extends VlpError {
  constructor(args: VlpErrorDetails & { message: string }) {
    super({ ...args, code: 'VLP_CALIBRATION_REQUIRED' });
    this.name = NAME;
    setMarker(this, NAME);
  }

  /** True for this error class from any installed copy of `@vlp/core`. */
  static override isInstance(error: unknown): error is CalibrationRequiredError {
    return hasMarker(error, NAME);
  }
}
