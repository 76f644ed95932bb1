import { UnsupportedArchitectureError } from '@vlp/core';
import { blipAdapter } from './blip-adapter.js';
import { clipAdapter } from './clip-adapter.js';
import type { AnyModelAdapter } from './model-adapter.js';

const ADAPTERS: Readonly<Record<string, AnyModelAdapter>> = {
  CLIPModel: clipAdapter,
  BlipForImageTextRetrieval: blipAdapter('blip-itm'),
  BlipForConditionalGeneration: blipAdapter('blip-caption'),
  BlipForQuestionAnswering: blipAdapter('blip-vqa'),
};

/** The adapter of a config.json `architectures[0]`; `VLP_UNSUPPORTED_ARCHITECTURE` otherwise. */
export function adapterFor(hfArchitecture: string, where: string): AnyModelAdapter {
  const adapter = ADAPTERS[hfArchitecture];
  if (!adapter) {
    throw new UnsupportedArchitectureError({
      message: `${where}: architecture "${hfArchitecture}" is not benchmarked; supported: ${Object.keys(ADAPTERS).join(', ')}.`,
      actual: hfArchitecture,
      expected: Object.keys(ADAPTERS),
    });
  }
  return adapter;
}
