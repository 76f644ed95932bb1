import type { VlpErrorCode } from './codes.js';

const MARKER = Symbol.for('vlp.error');

/** Marks `error` as an instance of the class registered under `name` (see {@link hasMarker}). */
export function setMarker(error: object, name: string): void {
  Object.defineProperty(error, Symbol.for(`vlp.error.${name}`), { value: true, enumerable: false });
}

/** True when `error` carries the marker of the class `name` (works across installed copies). */
export function hasMarker(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[Symbol.for(`vlp.error.${name}`)] === true;
}

/** Structured context carried by every {@link VlpError}. */
export interface VlpErrorDetails {
  /** File or directory the error is about. */
  path?: string;
  /** Tensor, unit or layer name the error is about. */
  tensor?: string;
  /** What was expected (shape, dtype, range, ...). */
  expected?: unknown;
  /** What was found. */
  actual?: unknown;
  /** The underlying error, if any. */
  cause?: unknown;
}

export interface VlpErrorOptions extends VlpErrorDetails {
  code: VlpErrorCode;
  message: string;
}

/**
 * The base class of every error vlp throws on purpose. Check with
 * `VlpError.isInstance(e)` (works across duplicate installed copies, where `instanceof` fails)
 * and switch on the stable `code`; `docs/errors.md` has one anchor per code.
 */
export class VlpError extends Error {
  readonly code: VlpErrorCode;
  readonly path?: string;
  readonly tensor?: string;
  readonly expected?: unknown;
  readonly actual?: unknown;

  constructor(options: VlpErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VlpError';
    Object.defineProperty(this, MARKER, { value: true, enumerable: false });
    this.code = options.code;
    this.path = options.path;
    this.tensor = options.tensor;
    this.expected = options.expected;
    this.actual = options.actual;
  }

  /** True for any vlp error, from any installed copy of `@vlp/core`; optionally of one code. */
  static isInstance(error: unknown, code?: VlpErrorCode): error is VlpError {
    if (typeof error !== 'object' || error === null) return false;
    if ((error as Record<symbol, unknown>)[MARKER] !== true) return false;
    return code === undefined || (error as VlpError).code === code;
  }
}
