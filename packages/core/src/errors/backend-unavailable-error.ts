import { VlpError, type VlpErrorDetails, hasMarker, setMarker } from './vlp-error.js';

const NAME = 'BackendUnavailableError';

/** `VLP_BACKEND_UNAVAILABLE`: The requested TensorFlow.js backend cannot be loaded here. */
export class BackendUnavailableError extends VlpError {
  constructor(args: VlpErrorDetails & { message: string }) {
    super({ ...args, code: 'VLP_BACKEND_UNAVAILABLE' });
    this.name = NAME;
    setMarker(this, NAME);
  }

  /** True for this error class from any installed copy of `@vlp/core`. */
  static override isInstance(error: unknown): error is BackendUnavailableError {
    return hasMarker(error, NAME);
  }
}
