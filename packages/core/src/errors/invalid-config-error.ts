import type { StandardSchemaV1 } from '@standard-schema/spec';
import { VlpError, type VlpErrorDetails, hasMarker, setMarker } from './vlp-error.js';

const NAME = 'InvalidConfigError';

/** `VLP_INVALID_CONFIG`: validation failed; `issues` carries Standard Schema issues with their paths. */
export class InvalidConfigError extends VlpError {
  readonly issues: readonly StandardSchemaV1.Issue[];

  constructor(args: VlpErrorDetails & { message: string; issues?: readonly StandardSchemaV1.Issue[] }) {
    super({ ...args, code: 'VLP_INVALID_CONFIG' });
    this.name = NAME;
    this.issues = args.issues ?? [];
    setMarker(this, NAME);
  }

  /** True for this error class from any installed copy of `@vlp/core`. */
  static override isInstance(error: unknown): error is InvalidConfigError {
    return hasMarker(error, NAME);
  }
}
