import { VlpError, hasMarker, setMarker } from './vlp-error.js';

const NAME = 'NoSuchPrunerError';

/** `VLP_NO_SUCH_PRUNER`: an unknown pruner id; the message lists the known ids and how to register one. */
export class NoSuchPrunerError extends VlpError {
  readonly prunerId: string;
  readonly knownIds: readonly string[];

  constructor(args: { prunerId: string; knownIds: readonly string[] }) {
    const known = args.knownIds.length ? args.knownIds.join(', ') : '(none registered)';
    super({
      code: 'VLP_NO_SUCH_PRUNER',
      message:
        `No pruner with id "${args.prunerId}". Known ids: ${known}. ` +
        'Register a pruner by passing its factory result to createPrunerRegistry([...]) ' +
        '(or by listing it under `pruners` in vlp.config.ts).',
      actual: args.prunerId,
      expected: args.knownIds,
    });
    this.name = NAME;
    this.prunerId = args.prunerId;
    this.knownIds = args.knownIds;
    setMarker(this, NAME);
  }

  /** True for this error class from any installed copy of `@vlp/core`. */
  static override isInstance(error: unknown): error is NoSuchPrunerError {
    return hasMarker(error, NAME);
  }
}
