import type { PaperReference } from '@vlp/core';

/** Wang, Zhang & Ma, ICML 2024 (official code: `Nofear18/ID_VL_Pruning`). */
export const PAPER: PaperReference = Object.freeze({
  title: 'Exploring Intrinsic Dimension for Vision-Language Model Pruning',
  venue: 'ICML',
  year: 2024,
  url: 'https://proceedings.mlr.press/v235/wang24a.html',
});
