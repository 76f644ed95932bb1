import type { PaperReference } from '@vlp/core';

/** The paper `@vlp/upop` implements (`Pruner.paper`). */
export const UPOP_PAPER: PaperReference = Object.freeze({
  title: 'UPop: Unified and Progressive Pruning for Compressing Vision-Language Transformers',
  venue: 'ICML',
  year: 2023,
  url: 'https://arxiv.org/abs/2301.13741',
});
