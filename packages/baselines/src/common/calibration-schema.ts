import * as z from 'zod';

/**
 * Which token rows the calibration statistics count. `all`: every position a linear layer sees,
 * padding included — what the official Wanda / SparseGPT forward hooks record (they never look at
 * an attention mask; ECoFLaP's CLIP wrapper does the same) and what the clip-tiny Wanda reference
 * uses. `valid`: padding positions (attention mask 0) dropped, as MULTIFLOW's calibration does.
 */
export const tokensSchema = z.enum(['all', 'valid']);

/**
 * Whether blocks are calibrated sequentially. `true`: block by block in the view's unit order,
 * each block calibrated on the outputs of the already-pruned blocks before it (official
 * `prune_wanda` / `prune_sparsegpt` recompute every layer's outputs after pruning it).
 * `false`: one calibration pass of the dense model for all units (cheaper; MULTIFLOW-style).
 */
export const sequentialSchema = z.boolean();
