/**
 * Error constructors for the ONNX writer.
 *
 * `@vlp/core` exports `InvalidArgumentError` / `NotSupportedError`, but its declaration build currently
 * fails (TS4020 in `packages/core/src/errors/subclasses.ts`), so `@vlp/models` cannot type-check an import
 * from it yet. Until it does, these plain `Error`s carry the same stable `code`s
 * (`VLP_INVALID_ARGUMENT`, `VLP_NOT_SUPPORTED`); swapping them for the core classes is a change to this
 * file only.
 */

/** An `Error` with a vlp error code, standing in for the `@vlp/core` classes. */
export class OnnxWriterError extends Error {
  /** Stable vlp error code. */
  readonly code: 'VLP_INVALID_ARGUMENT' | 'VLP_NOT_SUPPORTED';
  constructor(code: OnnxWriterError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = code === 'VLP_INVALID_ARGUMENT' ? 'InvalidArgumentError' : 'NotSupportedError';
    this.code = code;
  }
}

/** A caller passed something malformed (`VLP_INVALID_ARGUMENT`). */
export function invalidArgument(message: string): OnnxWriterError {
  return new OnnxWriterError('VLP_INVALID_ARGUMENT', message);
}

/** A valid request that this writer does not implement (`VLP_NOT_SUPPORTED`). */
export function notSupported(message: string, cause?: unknown): OnnxWriterError {
  return new OnnxWriterError('VLP_NOT_SUPPORTED', message, cause === undefined ? undefined : { cause });
}
