import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { COLOURS, POSITIONS, SCENE_EXTENT, type SceneObject, SHAPES, SIZES } from '@vlp/data';

/** The classes an object token is asked for, in the order the object head's logits hold them. */
export const OBJECT_TARGET_GROUPS = [
  { name: 'colour', classes: COLOURS.length },
  { name: 'shape', classes: SHAPES.length },
  { name: 'size', classes: SIZES.length },
  { name: 'cell', classes: POSITIONS.length },
] as const;

/** Total logits of the object head: 8 colours + 8 shapes + 2 sizes + 9 cells. */
export const OBJECT_TARGET_LOGITS = OBJECT_TARGET_GROUPS.reduce((n, g) => n + g.classes, 0);

/**
 * Per-object targets of one batch of images, `[K]` int32 each (K = objects in the batch): `token`
 * indexes the flattened `[images · tokens]` vision tokens — image `i`'s patch under the object's
 * centre (tokens: the class token, then the `grid × grid` patches row by row) — and the other four
 * are the object's colour, shape, size and grid-cell indices (into `COLOURS`, `SHAPES`, `SIZES`,
 * `POSITIONS`).
 */
export interface ObjectTargets {
  readonly token: tf.Tensor1D;
  readonly colour: tf.Tensor1D;
  readonly shape: tf.Tensor1D;
  readonly size: tf.Tensor1D;
  readonly cell: tf.Tensor1D;
}

/** The patch (row-major, 0 … grid² − 1) under a scene point, for a `grid × grid` patch layout. */
export function patchUnder(x: number, y: number, grid: number): number {
  const at = (v: number) => Math.min(grid - 1, Math.max(0, Math.floor((v / SCENE_EXTENT) * grid)));
  return at(y) * grid + at(x);
}

/** {@link ObjectTargets} of `scenes` (one object list per image) for a ViT with a class token and `grid × grid` patches. */
export function objectTargets(scenes: readonly (readonly SceneObject[])[], grid: number): ObjectTargets {
  if (!Number.isInteger(grid) || grid < 1) throw new InvalidArgumentError({ message: `grid must be a positive integer (patches per side), got ${grid}.`, actual: grid });
  const tokens = 1 + grid * grid;
  const token: number[] = [];
  const colour: number[] = [];
  const shape: number[] = [];
  const size: number[] = [];
  const cell: number[] = [];
  scenes.forEach((objects, i) => {
    for (const o of objects) {
      token.push(i * tokens + 1 + patchUnder(o.x, o.y, grid));
      colour.push(COLOURS.indexOf(o.colour));
      shape.push(SHAPES.indexOf(o.shape));
      size.push(SIZES.indexOf(o.size));
      cell.push(POSITIONS.indexOf(o.position));
    }
  });
  const t = (v: number[]) => tf.tensor1d(v, 'int32');
  return { token: t(token), colour: t(colour), shape: t(shape), size: t(size), cell: t(cell) };
}

/** Disposes the tensors of {@link ObjectTargets}. */
export function disposeObjectTargets(o: ObjectTargets): void {
  tf.dispose([o.token, o.colour, o.shape, o.size, o.cell]);
}
