/**
 * Error constructors for the ONNX writer, backed by `@vlp/core`'s `InvalidArgumentError`
 * (`VLP_INVALID_ARGUMENT`) and `NotSupportedError` (`VLP_NOT_SUPPORTED`).
 */
import { InvalidArgumentError, NotSupportedError } from '@vlp/core';

/** A caller passed something malformed (`VLP_INVALID_ARGUMENT`). */
export function invalidArgument(message: string): InvalidArgumentError {
  return new InvalidArgumentError({ message });
}

/** A valid request that this writer does not implement (`VLP_NOT_SUPPORTED`). */
export function notSupported(message: string, cause?: unknown): NotSupportedError {
  return new NotSupportedError(cause === undefined ? { message } : { message, cause });
}
