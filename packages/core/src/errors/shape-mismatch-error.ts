import { VlpError, type VlpErrorDetails, hasMarker, setMarker } from './vlp-error.js';

const NAME = 'ShapeMismatchError';

/** `VLP_SHAPE_MISMATCH`: A tensor whose shape differs from what the model or file expects; `expected` and `actual` hold the shapes. */
export class ShapeMismatchError extends VlpError {
  constructor(args: VlpErrorDetails & { message: string }) {
    super({ ...args, code: 'VLP_SHAPE_MISMATCH' });
    this.name = NAME;
    setMarker(this, NAME);
  }

  /** True for this error class from any installed copy of `@vlp/core`. */
  static override isInstance(error: unknown): error is ShapeMismatchError {
    return hasMarker(error, NAME);
  }
}
