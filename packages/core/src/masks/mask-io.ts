import type { MaskSet } from '../contract/index.js';
import { BadSafetensorsError, InvalidArgumentError } from '../errors/index.js';
import type { SafetensorsMetadataInput } from '../safetensors/layout.js';
import { readSafetensors } from '../safetensors/read.js';
import { writeSafetensors } from '../safetensors/write.js';

/** Options of {@link saveMasks}. */
export interface SaveMasksOptions {
  /**
   * Shape of each mask (e.g. the unit's `[out, in]`); masks without an entry are written 1-D
   * (`[length]`). Entries for names not in the mask set are ignored.
   */
  readonly shapes?: ReadonlyMap<string, readonly number[]>;
  /** `__metadata__` of the file (string → string); none is written when omitted. */
  readonly metadata?: SafetensorsMetadataInput;
}

/** What {@link loadMasks} returns. */
export interface LoadedMasks {
  /** Masks by unit name, in file order: 1 keeps, 0 prunes. */
  readonly masks: Map<string, Uint8Array>;
  /** The stored shape of each mask. */
  readonly shapes: Map<string, number[]>;
  /** The file's `__metadata__` (`{}` if none). */
  readonly metadata: Record<string, string>;
}

/**
 * Saves a mask set as a safetensors file of `U8` tensors keyed by unit (weight) name, written
 * atomically in the official library's canonical layout (sorted by name). Every value must be 0 or 1
 * and a given shape must hold exactly the mask's length; otherwise `InvalidArgumentError` naming the
 * unit. `IoError` if the file cannot be written.
 */
export async function saveMasks(path: string, masks: MaskSet, options: SaveMasksOptions = {}): Promise<void> {
  if (typeof masks !== 'object' || masks === null || typeof masks.entries !== 'function') {
    throw new InvalidArgumentError({ message: `saveMasks("${path}"): masks must be a Map of unit name → Uint8Array.`, path });
  }
  const tensors = new Map<string, { dtype: 'U8'; shape: readonly number[]; data: Uint8Array }>();
  for (const [name, mask] of masks) {
    if (!(mask instanceof Uint8Array)) {
      throw new InvalidArgumentError({
        message: `saveMasks("${path}"): the mask of "${name}" is not a Uint8Array. Masks hold one 0/1 byte per weight.`,
        path,
        tensor: name,
      });
    }
    const bad = firstNonBinary(mask);
    if (bad >= 0) {
      throw new InvalidArgumentError({
        message:
          `saveMasks("${path}"): the mask of "${name}" has the value ${mask[bad]} at index ${bad}; ` +
          'masks hold only 0 (pruned) and 1 (kept). Threshold the mask before saving it.',
        path,
        tensor: name,
        actual: mask[bad],
        expected: '0 or 1',
      });
    }
    const shape = options.shapes?.get(name) ?? [mask.length];
    const numel = Array.isArray(shape) && shape.every(isCount) ? shape.reduce((a, b) => a * b, 1) : NaN;
    if (numel !== mask.length) {
      throw new InvalidArgumentError({
        message:
          `saveMasks("${path}"): the mask of "${name}" has ${mask.length} entries but its shape ` +
          `${JSON.stringify(shape)} ${Number.isNaN(numel) ? 'is not a list of non-negative integers' : `holds ${numel}`}. ` +
          'Pass the shape of the weight the mask belongs to (row-major).',
        path,
        tensor: name,
        expected: mask.length,
        actual: shape,
      });
    }
    tensors.set(name, { dtype: 'U8', shape, data: mask });
  }
  await writeSafetensors(path, tensors, options.metadata);
}

/**
 * Loads a mask file written by {@link saveMasks} (or by Python: `U8`/`BOOL` tensors of 0/1).
 * Any other dtype, or a value other than 0/1, is a `BadSafetensorsError` naming the file and the
 * tensor; a malformed file is a `BadSafetensorsError` too.
 */
export async function loadMasks(path: string): Promise<LoadedMasks> {
  const file = await readSafetensors(path);
  try {
    const masks = new Map<string, Uint8Array>();
    const shapes = new Map<string, number[]>();
    for (const name of file.names) {
      const { dtype, shape } = file.info(name);
      if (dtype !== 'U8' && dtype !== 'BOOL') {
        throw new BadSafetensorsError({
          message:
            `Mask file "${path}": tensor "${name}" has dtype ${dtype}; masks are stored as U8 (or BOOL) 0/1 tensors. ` +
            'Convert it (e.g. mask.to(torch.uint8) in Python) or save it with saveMasks().',
          path,
          tensor: name,
        });
      }
      const mask = await file.readRaw(name);
      const bad = firstNonBinary(mask);
      if (bad >= 0) {
        throw new BadSafetensorsError({
          message:
            `Mask file "${path}": tensor "${name}" has the value ${mask[bad]} at index ${bad}; masks hold only 0 and 1. ` +
            'Threshold the mask to 0/1 and save it again.',
          path,
          tensor: name,
        });
      }
      masks.set(name, mask);
      shapes.set(name, [...shape]);
    }
    return { masks, shapes, metadata: { ...file.metadata } };
  } finally {
    await file.close();
  }
}

function firstNonBinary(mask: Uint8Array): number {
  for (let i = 0; i < mask.length; i++) if (mask[i] > 1) return i;
  return -1;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
