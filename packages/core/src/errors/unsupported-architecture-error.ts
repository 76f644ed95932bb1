import { VlpError, type VlpErrorDetails, hasMarker, setMarker } from './vlp-error.js';

const NAME = 'UnsupportedArchitectureError';

/** `VLP_UNSUPPORTED_ARCHITECTURE`: The model architecture is not supported by this pruner, loader or exporter. */
export class UnsupportedArchitectureError extends VlpError {
  constructor(args: VlpErrorDetails & { message: string }) {
    super({ ...args, code: 'VLP_UNSUPPORTED_ARCHITECTURE' });
    this.name = NAME;
    setMarker(this, NAME);
  }

  /** True for this error class from any installed copy of `@vlp/core`. */
  static override isInstance(error: unknown): error is UnsupportedArchitectureError {
    return hasMarker(error, NAME);
  }
}
