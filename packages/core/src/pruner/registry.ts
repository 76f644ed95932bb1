import { SPECIFICATION_VERSION, type AnyPruner } from '../contract/pruner.js';
import { InvalidArgumentError, NoSuchPrunerError } from '../errors/index.js';

/** A fixed set of pruners addressed by id (no global state, no import side effects). */
export interface PrunerRegistry<P extends AnyPruner = AnyPruner> {
  /** The pruner with this id; throws `VLP_NO_SUCH_PRUNER` listing the known ids otherwise. */
  get(id: string): P;
  has(id: string): boolean;
  /** Every pruner, in registration order. */
  list(): readonly P[];
  /** Every id, in registration order. */
  ids(): readonly string[];
}

/**
 * Builds a registry from pruner objects (`createPrunerRegistry([magnitude(), wanda()])`).
 * Rejects with `VLP_INVALID_ARGUMENT` anything that is not a v1 pruner and duplicate ids.
 */
export function createPrunerRegistry<P extends AnyPruner>(pruners: readonly P[]): PrunerRegistry<P> {
  if (!Array.isArray(pruners)) {
    throw new InvalidArgumentError({
      message: 'createPrunerRegistry(pruners) needs an array of pruners, e.g. createPrunerRegistry([magnitude()]).',
      actual: pruners,
    });
  }
  const byId = new Map<string, P>();
  pruners.forEach((pruner, index) => {
    const p = pruner as Partial<AnyPruner> | null;
    if (typeof p !== 'object' || p === null || typeof p.id !== 'string' || typeof p.prune !== 'function') {
      throw new InvalidArgumentError({
        message: `createPrunerRegistry: entry ${index} is not a pruner; pass the result of its factory (e.g. magnitude()), not the factory itself.`,
        actual: pruner,
      });
    }
    if (p.specificationVersion !== SPECIFICATION_VERSION) {
      throw new InvalidArgumentError({
        message:
          `createPrunerRegistry: pruner "${p.id}" implements specification ${String(p.specificationVersion)}, ` +
          `this @vlp/core implements ${SPECIFICATION_VERSION}; build it with definePruner() from a compatible @vlp/core.`,
        expected: SPECIFICATION_VERSION,
        actual: p.specificationVersion,
      });
    }
    if (byId.has(p.id)) {
      throw new InvalidArgumentError({
        message: `createPrunerRegistry: two pruners have the id "${p.id}" (entries ${pruners.indexOf(byId.get(p.id)!)} and ${index}); ids must be unique.`,
        actual: p.id,
      });
    }
    byId.set(p.id, pruner);
  });
  const list = Object.freeze([...byId.values()]);
  const ids = Object.freeze([...byId.keys()]);
  return Object.freeze({
    get(id: string): P {
      const pruner = byId.get(id);
      if (!pruner) throw new NoSuchPrunerError({ prunerId: id, knownIds: ids });
      return pruner;
    },
    has: (id: string) => byId.has(id),
    list: () => list,
    ids: () => ids,
  });
}
