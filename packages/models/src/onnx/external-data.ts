/**
 * Moving large initializers into an ONNX external-data side file.
 *
 * A moved tensor keeps its name, dims and data type, drops `raw_data`, and gets
 * `data_location = EXTERNAL` (TensorProto field 14) plus `external_data` entries (field 13):
 * `location` (path relative to the model file), `offset` and `length` (decimal strings). Offsets are
 * aligned (4096 by default, the page size onnx.proto recommends so that runtimes can mmap the file).
 */
import { invalidArgument } from './errors.js';
import { DATA_LOCATION, type OnnxTensor } from './onnx-messages.js';

/** Where and when initializers go to external data. */
export interface ExternalDataOptions {
  /** Side-file path relative to the model file, e.g. `model.onnx_data`. No `..` segments, not absolute. */
  location: string;
  /** Initializers whose data has at least this many bytes move out (default 1024). */
  threshold?: number;
  /** Offset alignment in bytes (default 4096). */
  align?: number;
}

/** The initializers after moving, and the side-file contents (absent if nothing moved). */
export interface ExternalizedInitializers {
  initializer: OnnxTensor[];
  data?: Uint8Array;
}

/** Throws `VLP_INVALID_ARGUMENT` unless `location` is a safe relative path. */
export function validateExternalLocation(location: string): void {
  const parts = location.split(/[\\/]/);
  if (location === '' || location.startsWith('/') || /^[A-Za-z]:/.test(location) || parts.includes('..') || parts.includes('')) {
    throw invalidArgument(
      `External data location "${location}" must be a relative path below the model's directory (e.g. "model.onnx_data").`,
    );
  }
}

/**
 * Moves every initializer with `rawData.byteLength >= threshold` into one side buffer at aligned offsets.
 * Tensors below the threshold (and tensors already external) are returned unchanged.
 */
export function externalizeInitializers(
  initializers: readonly OnnxTensor[],
  options: ExternalDataOptions,
): ExternalizedInitializers {
  validateExternalLocation(options.location);
  const threshold = options.threshold ?? 1024;
  const align = options.align ?? 4096;
  if (!Number.isSafeInteger(align) || align < 1) throw invalidArgument(`External data alignment must be a positive integer, got ${align}.`);
  if (!(threshold >= 0)) throw invalidArgument(`External data threshold must be >= 0, got ${threshold}.`);

  const moves: { index: number; offset: number; bytes: Uint8Array }[] = [];
  let end = 0;
  initializers.forEach((t, index) => {
    if (t.rawData === undefined || t.dataLocation === DATA_LOCATION.EXTERNAL || t.rawData.byteLength < threshold) return;
    const offset = Math.ceil(end / align) * align;
    moves.push({ index, offset, bytes: t.rawData });
    end = offset + t.rawData.byteLength;
  });
  if (moves.length === 0) return { initializer: [...initializers] };

  const data = new Uint8Array(end);
  const out = [...initializers];
  for (const m of moves) {
    data.set(m.bytes, m.offset);
    const t = initializers[m.index];
    out[m.index] = {
      ...(t.name === undefined ? {} : { name: t.name }),
      dims: t.dims,
      dataType: t.dataType,
      dataLocation: DATA_LOCATION.EXTERNAL,
      externalData: [
        { key: 'location', value: options.location },
        { key: 'offset', value: String(m.offset) },
        { key: 'length', value: String(m.bytes.byteLength) },
      ],
    };
  }
  return { initializer: out, data };
}
