import { VlpError, type VlpErrorDetails, hasMarker, setMarker } from './vlp-error.js';

const NAME = 'AbortedError';

/** `VLP_ABORTED`: The operation was cancelled through its AbortSignal. */
export class AbortedError extends VlpError {
  constructor(args: VlpErrorDetails & { message: string }) {
    super({ ...args, code: 'VLP_ABORTED' });
    this.name = NAME;
    setMarker(this, NAME);
  }

  /** True for this error class from any installed copy of `@vlp/core`. */
  static override isInstance(error: unknown): error is AbortedError {
    return hasMarker(error, NAME);
  }
}
