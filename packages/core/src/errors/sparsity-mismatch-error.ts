import { VlpError, type VlpErrorDetails, hasMarker, setMarker } from './vlp-error.js';

const NAME = 'SparsityMismatchError';

/** `VLP_SPARSITY_MISMATCH`: A pruning result whose realised sparsity differs from the request beyond tolerance. */
export class SparsityMismatchError extends VlpError {
  constructor(args: VlpErrorDetails & { message: string }) {
    super({ ...args, code: 'VLP_SPARSITY_MISMATCH' });
    this.name = NAME;
    setMarker(this, NAME);
  }

  /** True for this error class from any installed copy of `@vlp/core`. */
  static override isInstance(error: unknown): error is SparsityMismatchError {
    return hasMarker(error, NAME);
  }
}
