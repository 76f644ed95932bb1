import { endianness } from 'node:os';
import { InvalidArgumentError } from '../errors/index.js';
import {
  dtypeArrayTag,
  dtypeByteSize,
  dtypeRank,
  isSafetensorsDtype,
  SAFETENSORS_DTYPES,
  type SafetensorsDtype,
  type SafetensorsTypedArray,
} from './dtypes.js';
import { LENGTH_PREFIX_BYTES, MAX_HEADER_BYTES } from './header.js';

/** One tensor to write. */
export interface SafetensorsTensorInput {
  readonly dtype: SafetensorsDtype;
  /** Row-major dimensions; `[]` for a scalar. */
  readonly shape: readonly number[];
  /**
   * The values: the dtype's native typed array (`Float32Array` for F32, `Uint16Array` of raw bits
   * for F16/BF16, `BigInt64Array` for I64, `Uint8Array` for U8/BOOL, ...) or the raw little-endian
   * bytes as a `Uint8Array` (any dtype).
   */
  readonly data: SafetensorsTypedArray;
}

/** A {@link SafetensorsTensorInput} with its name, for the list form of the writer's input. */
export interface NamedSafetensorsTensorInput extends SafetensorsTensorInput {
  readonly name: string;
}

/** Tensors to write: a map name → tensor, or a list of named tensors. */
export type SafetensorsTensorsInput =
  | ReadonlyMap<string, SafetensorsTensorInput>
  | readonly NamedSafetensorsTensorInput[];

/** `__metadata__` to write: a string record, or string entries (e.g. a `Map`) to fix the key order. */
export type SafetensorsMetadataInput = Readonly<Record<string, string>> | Iterable<readonly [string, string]>;

/** Options of the safetensors writer. */
export interface SafetensorsWriteOptions {
  /**
   * Layout of the tensors in header and data. `'canonical'` (default) is the official library's:
   * by dtype (F64/I64/U64 first ... BOOL last, i.e. descending `safetensors::Dtype` order), then by
   * the UTF-8 bytes of the name, so files written by `safetensors.torch.save_file` are reproduced
   * byte for byte. `'given'` keeps the input order.
   */
  readonly order?: 'canonical' | 'given';
}

/** A validated, laid-out file: the 8-byte prefix + padded JSON header, then the tensor bytes in order. */
export interface SafetensorsLayout {
  readonly head: Uint8Array;
  readonly chunks: readonly Uint8Array[];
  /** Total file size in bytes. */
  readonly byteLength: number;
}

interface Entry {
  readonly name: string;
  readonly nameBytes: Buffer;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

const BIG_ENDIAN_HOST = endianness() === 'BE';
/** Unpaired UTF-16 surrogates (a `u` regex matches a surrogate only when it is not half of a pair). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Validates the tensors and metadata and lays the file out exactly as the official library does:
 * `{"__metadata__":{...},"<name>":{"dtype":..,"shape":[..],"data_offsets":[b,e]},...}` with no
 * spaces, the metadata first (in the given key order; omitted when `metadata` is undefined), the
 * JSON padded with spaces to a multiple of 8 bytes, and the data contiguous in header order.
 * Bad input throws `InvalidArgumentError` (naming `path`, when given, and the tensor). Internal:
 * the public entry points are `writeSafetensors` and `serializeSafetensors`.
 */
export function layoutSafetensors(
  tensors: SafetensorsTensorsInput,
  metadata?: SafetensorsMetadataInput,
  options: SafetensorsWriteOptions = {},
  path?: string,
): SafetensorsLayout {
  const invalid = (problem: string, tensor?: string) => invalidInput(problem, tensor, path);
  const entries = validateTensors(tensors, invalid);
  if (options.order === undefined || options.order === 'canonical') {
    entries.sort(
      (a, b) => dtypeRank(b.dtype) - dtypeRank(a.dtype) || Buffer.compare(a.nameBytes, b.nameBytes),
    );
  } else if (options.order !== 'given') {
    throw invalid(`options.order must be 'canonical' or 'given', got ${JSON.stringify(options.order)}`);
  }
  const parts: string[] = [];
  if (metadata !== undefined) {
    const body = validateMetadata(metadata, invalid).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
    parts.push(`"__metadata__":{${body.join(',')}}`);
  }
  let offset = 0;
  for (const e of entries) {
    const end = offset + e.bytes.byteLength;
    parts.push(
      `${JSON.stringify(e.name)}:{"dtype":"${e.dtype}","shape":[${e.shape.join(',')}],"data_offsets":[${offset},${end}]}`,
    );
    offset = end;
  }
  const json = Buffer.from(`{${parts.join(',')}}`, 'utf8');
  const headerLength = Math.ceil(json.byteLength / 8) * 8;
  if (headerLength > MAX_HEADER_BYTES) {
    throw invalid(`the JSON header would be ${headerLength} bytes, above the format's limit of ${MAX_HEADER_BYTES}`);
  }
  const head = new Uint8Array(LENGTH_PREFIX_BYTES + headerLength).fill(0x20);
  new DataView(head.buffer).setBigUint64(0, BigInt(headerLength), true);
  head.set(json, LENGTH_PREFIX_BYTES);
  return { head, chunks: entries.map((e) => e.bytes), byteLength: head.byteLength + offset };
}

type Invalid = (problem: string, tensor?: string) => InvalidArgumentError;

function validateTensors(tensors: SafetensorsTensorsInput, invalid: Invalid): Entry[] {
  let pairs: (readonly [unknown, unknown])[];
  if (tensors instanceof Map) pairs = [...tensors];
  else if (Array.isArray(tensors)) pairs = tensors.map((t: unknown) => [(t as { name?: unknown } | null)?.name, t]);
  else throw invalid('tensors must be a Map of name → {dtype, shape, data} or an array of {name, dtype, shape, data}');
  const seen = new Set<string>();
  return pairs.map(([name, tensor]) => {
    if (typeof name !== 'string') throw invalid(`every tensor needs a string name, got ${JSON.stringify(name) ?? 'none'}`);
    if (seen.has(name)) throw invalid('the tensor name appears twice; names must be unique', name);
    seen.add(name);
    if (name === '__metadata__') throw invalid('"__metadata__" is reserved for the metadata and cannot name a tensor', name);
    if (LONE_SURROGATE.test(name)) throw invalid('the name has an unpaired UTF-16 surrogate and cannot be encoded as UTF-8', name);
    return validateTensor(name, tensor, invalid);
  });
}

function validateTensor(name: string, tensor: unknown, invalid: Invalid): Entry {
  if (typeof tensor !== 'object' || tensor === null) throw invalid('the tensor must be an object {dtype, shape, data}', name);
  const { dtype, shape, data } = tensor as Record<string, unknown>;
  if (!isSafetensorsDtype(dtype)) {
    throw invalid(`unknown dtype ${JSON.stringify(dtype) ?? 'undefined'}; supported: ${SAFETENSORS_DTYPES.join(', ')}`, name);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw invalid(`shape must be an array of non-negative integers, got ${JSON.stringify(shape) ?? 'undefined'}`, name);
  }
  const tag = ArrayBuffer.isView(data) ? (data as unknown as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] : undefined;
  const native = dtypeArrayTag(dtype);
  if (tag !== native && tag !== 'Uint8Array') {
    throw invalid(`data for dtype ${dtype} must be a ${native} (or raw bytes as a Uint8Array), got ${tag ?? typeof data}`, name);
  }
  const view = data as SafetensorsTypedArray;
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  const expected = elements * dtypeByteSize(dtype);
  if (view.byteLength !== expected) {
    throw invalid(
      `data has ${view.byteLength} bytes, but shape [${shape.join(', ')}] of ${dtype} needs ` +
        `${elements} × ${dtypeByteSize(dtype)} = ${expected} bytes`,
      name,
    );
  }
  const bytes = littleEndianBytes(view, tag === 'Uint8Array' ? 1 : dtypeByteSize(dtype));
  if (dtype === 'BOOL') {
    const bad = bytes.findIndex((b) => b > 1);
    if (bad >= 0) throw invalid(`BOOL data must be 0 or 1, found ${bytes[bad]} at element ${bad}`, name);
  }
  return { name, nameBytes: Buffer.from(name, 'utf8'), dtype, shape: [...(shape as number[])], bytes };
}

function validateMetadata(metadata: SafetensorsMetadataInput, invalid: Invalid): (readonly [string, string])[] {
  const iterable = typeof metadata === 'object' && metadata !== null && Symbol.iterator in metadata;
  if (typeof metadata !== 'object' || metadata === null) throw invalid('metadata must be a string record or string entries');
  const entries = iterable
    ? [...(metadata as Iterable<readonly [string, string]>)]
    : Object.entries(metadata as Record<string, unknown>);
  const seen = new Set<string>();
  for (const entry of entries) {
    const [key, value] = Array.isArray(entry) ? entry : [undefined, undefined];
    if (typeof key !== 'string' || typeof value !== 'string') {
      throw invalid(`metadata entries must map strings to strings, got ${JSON.stringify(entry) ?? String(entry)}`);
    }
    if (seen.has(key)) throw invalid(`metadata key "${key}" appears twice`);
    seen.add(key);
    if (LONE_SURROGATE.test(key) || LONE_SURROGATE.test(value)) {
      throw invalid(`metadata "${key}" has an unpaired UTF-16 surrogate and cannot be encoded as UTF-8`);
    }
  }
  return entries as (readonly [string, string])[];
}

/** The bytes as stored (little-endian); copies and swaps only on a big-endian host. */
function littleEndianBytes(view: SafetensorsTypedArray, elementSize: number): Uint8Array {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  if (!BIG_ENDIAN_HOST || elementSize === 1) return bytes;
  const copy = bytes.slice();
  for (let i = 0; i < copy.length; i += elementSize) copy.subarray(i, i + elementSize).reverse();
  return copy;
}

function invalidInput(problem: string, tensor: string | undefined, path: string | undefined): InvalidArgumentError {
  const file = path === undefined ? 'safetensors data' : `safetensors file "${path}"`;
  const where = tensor === undefined ? '' : `, tensor "${tensor}"`;
  return new InvalidArgumentError({ message: `Cannot write ${file}${where}: ${problem}.`, path, tensor });
}
