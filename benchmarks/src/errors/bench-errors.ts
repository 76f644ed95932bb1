import { InvalidArgumentError, IoError, type VlpErrorDetails } from '@vlp/core';

const USAGE = Symbol.for('vlp.error.BenchUsageError');
const LOCKED = Symbol.for('vlp.error.BenchLockedError');

/**
 * A bad command line or suite option (`VLP_INVALID_ARGUMENT`); the CLI prints the message and the
 * usage and exits with code 2.
 */
export class BenchUsageError extends InvalidArgumentError {
  constructor(args: VlpErrorDetails & { message: string }) {
    super(args);
    this.name = 'BenchUsageError';
    Object.defineProperty(this, USAGE, { value: true, enumerable: false });
  }

  /** True for this class from any installed copy of `@vlp/bench`. */
  static override isInstance(error: unknown): error is BenchUsageError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[USAGE] === true;
  }
}

/**
 * Another live run holds the output directory's lock (`VLP_IO`). Two runs never write one
 * directory at once.
 */
export class BenchLockedError extends IoError {
  /** Process id of the run holding the lock. */
  readonly holderPid: number;

  constructor(args: { path: string; holderPid: number; holderHost: string; startedAt: string }) {
    super({
      message:
        `Another vlp bench run (pid ${args.holderPid} on ${args.holderHost}, started ${args.startedAt}) is writing ${args.path}. ` +
        'Wait for it to finish, or pass another --out. If no such run is alive, delete ' +
        `${args.path}/.lock and try again.`,
      path: args.path,
    });
    this.name = 'BenchLockedError';
    this.holderPid = args.holderPid;
    Object.defineProperty(this, LOCKED, { value: true, enumerable: false });
  }

  /** True for this class from any installed copy of `@vlp/bench`. */
  static override isInstance(error: unknown): error is BenchLockedError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[LOCKED] === true;
  }
}

/** Shorthand for a {@link BenchUsageError}. */
export function usageError(message: string, details: VlpErrorDetails = {}): BenchUsageError {
  return new BenchUsageError({ ...details, message });
}
