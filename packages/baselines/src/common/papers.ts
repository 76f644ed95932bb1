import type { PaperReference } from '@vlp/core';

/** The papers the baselines implement (`Pruner.paper`). */
export const PAPERS = {
  magnitude: {
    title: 'Learning both Weights and Connections for Efficient Neural Networks',
    venue: 'NeurIPS',
    year: 2015,
    url: 'https://arxiv.org/abs/1506.02626',
  },
  multiflow: {
    title: 'MULTIFLOW: Shifting Towards Task-Agnostic Vision-Language Pruning',
    venue: 'CVPR',
    year: 2024,
    url: 'https://arxiv.org/abs/2404.05621',
  },
  lamp: {
    title: 'Layer-adaptive Sparsity for the Magnitude-based Pruning',
    venue: 'ICLR',
    year: 2021,
    url: 'https://arxiv.org/abs/2010.07611',
  },
  snip: {
    title: 'SNIP: Single-shot Network Pruning based on Connection Sensitivity',
    venue: 'ICLR',
    year: 2019,
    url: 'https://arxiv.org/abs/1810.02340',
  },
  itersnip: {
    title: 'Progressive Skeletonization: Trimming more fat from a network at initialization',
    venue: 'ICLR',
    year: 2021,
    url: 'https://arxiv.org/abs/2006.09081',
  },
  wanda: {
    title: 'A Simple and Effective Pruning Approach for Large Language Models',
    venue: 'ICLR',
    year: 2024,
    url: 'https://arxiv.org/abs/2306.11695',
  },
  sparsegpt: {
    title: 'SparseGPT: Massive Language Models Can Be Accurately Pruned in One-Shot',
    venue: 'ICML',
    year: 2023,
    url: 'https://arxiv.org/abs/2301.00774',
  },
} as const satisfies Record<string, PaperReference>;
