import { VlpError, type VlpErrorDetails, hasMarker, setMarker } from './vlp-error.js';

const NAME = 'BadSafetensorsError';

/** `VLP_BAD_SAFETENSORS`: A malformed or inconsistent `.safetensors` file or shard index; names the file (`path`) and, where known, the tensor. */
export class BadSafetensorsError extends VlpError {
  constructor(args: VlpErrorDetails & { message: string }) {
    super({ ...args, code: 'VLP_BAD_SAFETENSORS' });
    this.name = NAME;
    setMarker(this, NAME);
  }

  /** True for this error class from any installed copy of `@vlp/core`. */
  static override isInstance(error: unknown): error is BadSafetensorsError {
    return hasMarker(error, NAME);
  }
}
