import type { PaperReference } from '@vlp/core';

/** The paper `@vlp/mope` implements (`Pruner.paper`). No official code was released. */
export const MOPE_PAPER: PaperReference = Object.freeze({
  title: 'MoPE-CLIP: Structured Pruning for Efficient Vision-Language Models with Module-wise Pruning Error Metric',
  venue: 'CVPR',
  year: 2024,
  url: 'https://arxiv.org/abs/2403.07839',
});
