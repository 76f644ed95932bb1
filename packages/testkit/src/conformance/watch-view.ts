import type { PrunableView } from '@vlp/core';

const WATCHED = new Set<PropertyKey>(['weight', 'run', 'runSync']);

/** A view that calls `onAccess(method)` before each `weight()`, `run()` or `runSync()` call and forwards everything else. */
export function watchView<V extends PrunableView<unknown>>(view: V, onAccess: (method: string) => void): V {
  return new Proxy(view, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (!WATCHED.has(property) || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        onAccess(String(property));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
