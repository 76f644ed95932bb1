import { VlpError, type VlpErrorDetails, hasMarker, setMarker } from './vlp-error.js';

const NAME = 'NotSupportedError';

/** `VLP_NOT_SUPPORTED`: An operation this component does not support. */
export class NotSupportedError extends VlpError {
  constructor(args: VlpErrorDetails & { message: string }) {
    super({ ...args, code: 'VLP_NOT_SUPPORTED' });
    this.name = NAME;
    setMarker(this, NAME);
  }

  /** True for this error class from any installed copy of `@vlp/core`. */
  static override isInstance(error: unknown): error is NotSupportedError {
    return hasMarker(error, NAME);
  }
}
