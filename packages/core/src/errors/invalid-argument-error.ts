import { VlpError, type VlpErrorDetails, hasMarker, setMarker } from './vlp-error.js';

const NAME = 'InvalidArgumentError';

/** `VLP_INVALID_ARGUMENT`: A function argument out of range or of the wrong kind. */
export class InvalidArgumentError extends VlpError {
  constructor(args: VlpErrorDetails & { message: string }) {
    super({ ...args, code: 'VLP_INVALID_ARGUMENT' });
    this.name = NAME;
    setMarker(this, NAME);
  }

  /** True for this error class from any installed copy of `@vlp/core`. */
  static override isInstance(error: unknown): error is InvalidArgumentError {
    return hasMarker(error, NAME);
  }
}
