import type { Modality, PrunableView } from '@vlp/core';

/**
 * UPop's prunable parameters of a view: the parameters (weights + biases) controlled by its
 * `head-channel` and `neuron` structures, optionally in some modalities only. The target p is a
 * fraction of this count; comparing a dense and a compacted model's views gives the reduction.
 */
export function prunableParams(view: Pick<PrunableView<unknown>, 'structures'>, modalities?: readonly Modality[]): number {
  return view.structures
    .filter((s) => (s.kind === 'head-channel' || s.kind === 'neuron') && (!modalities || modalities.includes(s.modality)))
    .reduce((n, s) => n + s.params, 0);
}
