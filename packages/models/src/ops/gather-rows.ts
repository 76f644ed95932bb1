import * as tf from '@tensorflow/tfjs';

/**
 * `tf.gather(table, ids)` along axis 0 with a gradient tfjs-wasm supports: the default gradient
 * uses `UnsortedSegmentSum`, which the wasm backend lacks; this one scatters `dy` rows into a
 * zero table with `ScatterNd`, which sums duplicate ids exactly like the default.
 */
export function gatherRows(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const flatIds = ids.reshape([-1]).toInt();
  const op = tf.customGrad(((t: tf.Tensor, save: tf.GradSaveFunc) => {
    const value = tf.gather(t as tf.Tensor2D, flatIds);
    save([flatIds]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const idx = (saved[0] as tf.Tensor1D).reshape([-1, 1]);
        return tf.scatterND(idx, dy, t.shape);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const rows = op(table) as tf.Tensor2D;
  return rows.reshape([...ids.shape, table.shape[1]]);
}
