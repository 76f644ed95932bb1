import { VlpError, type VlpErrorDetails, hasMarker, setMarker } from './vlp-error.js';

const NAME = 'IoError';

/** `VLP_IO`: A file could not be read or written (permissions, disk full, missing directory). */
export class IoError extends VlpError {
  constructor(args: VlpErrorDetails & { message: string }) {
    super({ ...args, code: 'VLP_IO' });
    this.name = NAME;
    setMarker(this, NAME);
  }

  /** True for this error class from any installed copy of `@vlp/core`. */
  static override isInstance(error: unknown): error is IoError {
    return hasMarker(error, NAME);
  }
}
