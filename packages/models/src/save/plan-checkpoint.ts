import { UnsupportedArchitectureError } from '@vlp/core';
import type { BlipModel } from '../blip/load-blip.js';
import type { ClipModel } from '../clip/clip-model.js';
import { planBlipCheckpoint } from './blip-checkpoint-plan.js';
import { type CheckpointPlan, planClipCheckpoint } from './clip-checkpoint-plan.js';

/**
 * The checkpoint plan of a loaded model, dispatched on its class (CLIP, or any BLIP head class).
 * Throws `VLP_UNSUPPORTED_ARCHITECTURE` for anything else (e.g. plain JavaScript callers).
 */
export function planCheckpoint(model: ClipModel | BlipModel): CheckpointPlan {
  const architecture: unknown = (model as { architecture?: unknown } | undefined)?.architecture;
  if (architecture === 'clip') return planClipCheckpoint(model as ClipModel);
  if (architecture === 'blip') return planBlipCheckpoint(model as BlipModel);
  throw new UnsupportedArchitectureError({
    message: `saveModel supports CLIP and BLIP models as loadModel returns them (got architecture "${String(architecture)}").`,
    actual: String(architecture),
    expected: ['clip', 'blip'],
  });
}
