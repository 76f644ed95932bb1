import { UnsupportedArchitectureError } from '@vlp/core';

/**
 * Throws `VLP_UNSUPPORTED_ARCHITECTURE` unless `model` is a CLIP model (for callers holding the
 * `loadModel` union, or plain JavaScript).
 */
export function requireClip(model: { readonly architecture?: unknown }, operation: string): void {
  if (model?.architecture === 'clip') return;
  throw new UnsupportedArchitectureError({
    message: `${operation} supports CLIP models only (got architecture "${String(model?.architecture)}"). Narrow the loadModel result with model.architecture === 'clip'.`,
    actual: String(model?.architecture),
    expected: ['clip'],
  });
}
