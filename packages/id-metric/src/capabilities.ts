import type { Modality } from '@vlp/core';

/** Every modality: ID pruning is architecture-agnostic over the prunable view. */
export const ALL_MODALITIES: readonly Modality[] = Object.freeze(['vision', 'text', 'fusion']);
