import { VlpError, type VlpErrorDetails } from './vlp-error.js';
import type { StandardSchemaV1 } from '@standard-schema/spec';

/** Message + optional structured details. */
type Args = VlpErrorDetails & { message: string };

function marked<T extends VlpError>(name: string) {
  const marker = Symbol.for(`vlp.error.${name}`);
  return {
    marker,
    is(error: unknown): error is T {
      return VlpError.isInstance(error) && (error as unknown as Record<symbol, unknown>)[marker] === true;
    },
  };
}

const invalidConfig = marked<InvalidConfigError>('InvalidConfigError');
/** `VLP_INVALID_CONFIG`: validation failed; `issues` carries Standard Schema issues with paths. */
export class InvalidConfigError extends VlpError {
  readonly [invalidConfig.marker] = true;
  readonly issues: readonly StandardSchemaV1.Issue[];
  constructor(args: Args & { issues?: readonly StandardSchemaV1.Issue[] }) {
    super({ ...args, code: 'VLP_INVALID_CONFIG' });
    this.name = 'InvalidConfigError';
    this.issues = args.issues ?? [];
  }
  static override isInstance(error: unknown): error is InvalidConfigError {
    return invalidConfig.is(error);
  }
}

const noSuchPruner = marked<NoSuchPrunerError>('NoSuchPrunerError');
/** `VLP_NO_SUCH_PRUNER`: lists the known ids. */
export class NoSuchPrunerError extends VlpError {
  readonly [noSuchPruner.marker] = true;
  readonly prunerId: string;
  readonly knownIds: readonly string[];
  constructor(args: { prunerId: string; knownIds: readonly string[] }) {
    const known = args.knownIds.length ? args.knownIds.join(', ') : '(none registered)';
    super({
      code: 'VLP_NO_SUCH_PRUNER',
      message:
        `No pruner with id "${args.prunerId}". Known ids: ${known}. ` +
        'Register a pruner by passing its factory result to createPrunerRegistry([...]) ' +
        '(or listing it under `pruners` in vlp.config.ts).',
      actual: args.prunerId,
      expected: args.knownIds,
    });
    this.name = 'NoSuchPrunerError';
    this.prunerId = args.prunerId;
    this.knownIds = args.knownIds;
  }
  static override isInstance(error: unknown): error is NoSuchPrunerError {
    return noSuchPruner.is(error);
  }
}

function simple<C extends ConstructorParameters<typeof VlpError>[0]['code']>(code: C, name: string) {
  const m = marked<VlpError>(name);
  const cls = class extends VlpError {
    readonly [m.marker] = true;
    constructor(args: Args) {
      super({ ...args, code });
      this.name = name;
    }
    static override isInstance(error: unknown): error is VlpError {
      return m.is(error);
    }
  };
  return cls;
}

/** `VLP_BAD_SAFETENSORS`: names the file (`path`) and, where known, the tensor. */
export class BadSafetensorsError extends simple('VLP_BAD_SAFETENSORS', 'BadSafetensorsError') {}
/** `VLP_SHAPE_MISMATCH`: names the tensor with `expected` and `actual` shapes. */
export class ShapeMismatchError extends simple('VLP_SHAPE_MISMATCH', 'ShapeMismatchError') {}
/** `VLP_MODEL_FILE_NOT_FOUND`: names the directory and the files expected. */
export class ModelFileNotFoundError extends simple('VLP_MODEL_FILE_NOT_FOUND', 'ModelFileNotFoundError') {}
/** `VLP_UNSUPPORTED_ARCHITECTURE`. */
export class UnsupportedArchitectureError extends simple('VLP_UNSUPPORTED_ARCHITECTURE', 'UnsupportedArchitectureError') {}
/** `VLP_CALIBRATION_REQUIRED`. */
export class CalibrationRequiredError extends simple('VLP_CALIBRATION_REQUIRED', 'CalibrationRequiredError') {}
/** `VLP_SPARSITY_MISMATCH`. */
export class SparsityMismatchError extends simple('VLP_SPARSITY_MISMATCH', 'SparsityMismatchError') {}
/** `VLP_BACKEND_UNAVAILABLE`. */
export class BackendUnavailableError extends simple('VLP_BACKEND_UNAVAILABLE', 'BackendUnavailableError') {}
/** `VLP_NOT_SUPPORTED`. */
export class NotSupportedError extends simple('VLP_NOT_SUPPORTED', 'NotSupportedError') {}
/** `VLP_INVALID_ARGUMENT`. */
export class InvalidArgumentError extends simple('VLP_INVALID_ARGUMENT', 'InvalidArgumentError') {}
/** `VLP_IO`. */
export class IoError extends simple('VLP_IO', 'IoError') {}
/** `VLP_ABORTED`: thrown by {@link throwIfAborted} when an AbortSignal fires. */
export class AbortedError extends simple('VLP_ABORTED', 'AbortedError') {}
