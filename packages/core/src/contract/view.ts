import type * as tf from '@tensorflow/tfjs';

/**
 * The prunable view: what every pruner sees of a model, independent of its architecture
 * (DESIGN.md, "Prunable view"). `@vlp/models` implements it for CLIP and BLIP; tests implement
 * small synthetic ones. Units are addressed by canonical names (the HF parameter name of the weight).
 */

/** Modality of a unit. BLIP cross-attention and decoders are documented per model. */
export type Modality = 'vision' | 'text' | 'fusion';

/** Role of a prunable linear inside its block. Widened with `string & {}` for future roles. */
export type UnitRole =
  | 'attn.q'
  | 'attn.k'
  | 'attn.v'
  | 'attn.qkv'
  | 'attn.out'
  | 'cross.q'
  | 'cross.k'
  | 'cross.v'
  | 'cross.out'
  | 'mlp.fc1'
  | 'mlp.fc2'
  | (string & {});

/** One prunable linear weight, shape `[out, in]` in HF orientation. */
export interface PrunableUnit {
  /** Canonical name: the HF parameter name of the weight (`...layers.0.self_attn.q_proj.weight`). */
  readonly name: string;
  readonly modality: Modality;
  /** Globally unique block id, e.g. `vision.0`, `text.3`, `decoder.1`. */
  readonly blockId: string;
  /** Index of the block within its tower. */
  readonly block: number;
  readonly role: UnitRole;
  /** `[out, in]`, HF orientation. Masks are row-major over this shape. */
  readonly shape: readonly [number, number];
}

/** What a structure removes. `head-channel` = UPop's per-head channel shared across heads. */
export type StructureKind = 'head' | 'head-channel' | 'neuron' | 'layer';

/** Rows (`axis: 'out'`) or columns (`axis: 'in'`) of one unit owned by a structure. */
export interface StructureSlice {
  readonly unit: string;
  readonly axis: 'out' | 'in';
  readonly indices: readonly number[];
}

/** A removable group of weights: an attention head, an MLP neuron, a whole block, ... */
export interface Structure {
  /** Unique id, e.g. `vision.0.attn.head.3`. */
  readonly id: string;
  readonly kind: StructureKind;
  readonly modality: Modality;
  readonly blockId: string;
  /** The gate this structure is multiplied by: `gates[group][index]` in {@link RunOptions}. */
  readonly gate: { readonly group: string; readonly index: number };
  /** The unit rows/columns it owns. */
  readonly slices: readonly StructureSlice[];
  /** Parameters it controls (weights and biases). */
  readonly params: number;
}

/** Statistics a forward can record at unit inputs or block outputs. */
export type TapSpec =
  | {
      /** Σ over tokens of x² per input feature of `unit` → `[in]`. */
      readonly kind: 'input-sum-squares';
      readonly unit: string;
      /** `valid`: padding tokens (attention mask 0) are excluded. */
      readonly tokens: 'all' | 'valid';
    }
  | { readonly kind: 'input-mean-abs'; readonly unit: string; readonly tokens: 'all' | 'valid' }
  | { readonly kind: 'input-gram'; readonly unit: string; readonly tokens: 'all' | 'valid' }
  | { readonly kind: 'block-output-pooled'; readonly blockId: string }
  | { readonly kind: 'unit-output'; readonly unit: string };

/** One recorded statistic. The tensor is owned by the {@link RunResult}. */
export interface TapValue {
  readonly spec: TapSpec;
  readonly value: tf.Tensor;
  /** Tokens that contributed (after padding exclusion when requested). */
  readonly tokens: number;
  /** Sequences (samples) that contributed. */
  readonly sequences: number;
}

export type Engine = 'onnx' | 'tfjs';

/** Options of one forward through the view. Tensors passed in stay owned by the caller. */
export interface RunOptions {
  readonly taps?: readonly TapSpec[];
  /** Structure gates, keyed by gate group (see {@link Structure.gate}); `[groupSize]` each. */
  readonly gates?: Readonly<Record<string, tf.Tensor1D>>;
  /** Per-run weight overrides keyed by unit name (`[out, in]`), for this run only. */
  readonly weights?: Readonly<Record<string, tf.Tensor2D>>;
  readonly engine?: Engine;
  readonly signal?: AbortSignal;
}

/** The outputs of one forward. Call `dispose()` when done (disposes every tensor it holds). */
export interface RunResult {
  readonly outputs: Readonly<Record<string, tf.Tensor>>;
  readonly taps: readonly TapValue[];
  readonly engine: Engine;
  dispose(): void;
}

/** Masks keyed by unit name: `1` keeps, `0` prunes; row-major over the unit's `[out, in]` shape. */
export type MaskSet = ReadonlyMap<string, Uint8Array>;

/** Structures to remove, by {@link Structure.id}. */
export interface StructureMask {
  readonly removed: readonly string[];
}

/** What a pruner sees of a model. */
export interface PrunableView<Batch = unknown> {
  /** Architecture id, e.g. `clip`, `blip-itm`, `blip-caption`, `blip-vqa`, `synthetic`. */
  readonly architecture: string;
  readonly modalities: readonly Modality[];
  readonly units: readonly PrunableUnit[];
  readonly structures: readonly Structure[];
  /**
   * The current weight of a unit, `[out, in]`. Owned by the view: do not dispose or mutate it.
   * Throws `VLP_INVALID_ARGUMENT` for an unknown unit.
   */
  weight(unit: string): tf.Tensor2D;
  /** One forward on `batch`, with taps, gates and weight overrides. */
  run(batch: Batch, options?: RunOptions): Promise<RunResult>;
  /** Zero the pruned weights of the model (1 keeps, 0 prunes). */
  applyMasks(masks: MaskSet): void;
  /** Replace unit weights (e.g. SparseGPT's updated surviving weights). */
  setWeights?(weights: ReadonlyMap<string, Float32Array>): void;
}
