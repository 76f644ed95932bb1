import type { PaperReference } from '@vlp/core';

/** The paper `@vlp/multiflow` implements (`Pruner.paper`). */
export const MULTIFLOW_PAPER: PaperReference = Object.freeze({
  title: 'MULTIFLOW: Shifting Towards Task-Agnostic Vision-Language Pruning',
  venue: 'CVPR',
  year: 2024,
  url: 'https://arxiv.org/abs/2404.05621',
});

/**
 * The target sparsities the paper evaluates (63 %, 75 %, 90 %; official `prune.py -s 63,75,90`).
 * A `prune()` request carries one of them as `request.sparsity`.
 */
export const PAPER_SPARSITIES: readonly number[] = Object.freeze([0.63, 0.75, 0.9]);
