import { VlpError, type VlpErrorDetails, hasMarker, setMarker } from './vlp-error.js';

const NAME = 'ModelFileNotFoundError';

/** `VLP_MODEL_FILE_NOT_FOUND`: A model directory lacks a file it needs; names the directory and the files expected. */
export class ModelFileNotFoundError extends VlpError {
  constructor(args: VlpErrorDetails & { message: string }) {
    super({ ...args, code: 'VLP_MODEL_FILE_NOT_FOUND' });
    this.name = NAME;
    setMarker(this, NAME);
  }

  /** True for this error class from any installed copy of `@vlp/core`. */
  static override isInstance(error: unknown): error is ModelFileNotFoundError {
    return hasMarker(error, NAME);
  }
}
