import type { PaperReference } from '@vlp/core';

/** The paper `@vlp/ecoflap` implements (`Pruner.paper`). */
export const ECOFLAP_PAPER: PaperReference = Object.freeze({
  title: 'ECoFLaP: Efficient Coarse-to-Fine Layer-Wise Pruning for Vision-Language Models',
  venue: 'ICLR',
  year: 2024,
  url: 'https://arxiv.org/abs/2310.02998',
});
