import { badFile } from './bad.js';
import { dtypeByteSize, isSafetensorsDtype, SAFETENSORS_DTYPES, type SafetensorsDtype } from './dtypes.js';
import { scanJsonKeys } from './json-keys.js';
import type { SafetensorsTensorInfo } from './types.js';

/** Bytes of the little-endian u64 header-length prefix. */
export const LENGTH_PREFIX_BYTES = 8;
/** The largest JSON header the official library accepts (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

/** A validated safetensors header. */
export interface ParsedHeader {
  /** `N`, the JSON header's byte length (padding included). */
  readonly headerLength: number;
  /** File offset of the data section: `8 + N`. */
  readonly dataStart: number;
  readonly metadata: Readonly<Record<string, string>>;
  readonly metadataEntries: readonly (readonly [string, string])[] | undefined;
  /** Entries in header order. */
  readonly tensors: readonly SafetensorsTensorInfo[];
}

/** Dtypes of the official format that vlp does not read (sub-byte, FP8 and complex types). */
const OTHER_OFFICIAL_DTYPES = new Set([
  'F4',
  'F6_E2M3',
  'F6_E3M2',
  'F8_E5M2',
  'F8_E4M3',
  'F8_E8M0',
  'F8_E4M3FNUZ',
  'F8_E5M2FNUZ',
  'C64',
]);

const REEXPORT = 'Re-export the file (e.g. with safetensors.torch.save_file or vlp writeSafetensors).';
const REDOWNLOAD = 'The file is truncated or corrupt: download or export it again.';

/**
 * Reads `N` from the 8-byte prefix and checks it against the file size (`fileSize` bytes in all).
 * Throws `BadSafetensorsError` for a file shorter than the prefix or a header beyond the file.
 */
export function parseHeaderLength(prefix: Uint8Array, fileSize: number, path: string): number {
  if (fileSize < LENGTH_PREFIX_BYTES || prefix.byteLength < LENGTH_PREFIX_BYTES) {
    throw badFile(
      path,
      `the file is ${fileSize} byte(s) long, shorter than the 8-byte header-length prefix`,
      `${REDOWNLOAD} (Is it a safetensors file at all?)`,
    );
  }
  const n = new DataView(prefix.buffer, prefix.byteOffset, LENGTH_PREFIX_BYTES).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) {
    throw badFile(
      path,
      `the header-length prefix declares ${n} bytes of JSON header, above the format's limit of ${MAX_HEADER_BYTES}`,
      `${REDOWNLOAD} (Is it a safetensors file at all?)`,
    );
  }
  const headerLength = Number(n);
  if (LENGTH_PREFIX_BYTES + headerLength > fileSize) {
    throw badFile(
      path,
      `the header-length prefix declares ${headerLength} bytes of JSON header, but only ` +
        `${fileSize - LENGTH_PREFIX_BYTES} bytes follow the prefix`,
      REDOWNLOAD,
    );
  }
  return headerLength;
}

/**
 * Parses and validates the JSON header (`N` bytes) of a file of `fileSize` bytes, following the
 * official library's rules: the data offsets, sorted, must tile the data section exactly
 * (no overlap, no hole, nothing after the last tensor), and each tensor's byte length must be
 * product(shape) × dtype size. Additionally rejects duplicate keys, which `JSON.parse` would hide.
 */
export function parseHeader(bytes: Uint8Array, fileSize: number, path: string): ParsedHeader {
  const headerLength = bytes.byteLength;
  const dataStart = LENGTH_PREFIX_BYTES + headerLength;
  const dataLength = fileSize - dataStart;
  const text = decodeUtf8(bytes, path);
  const json = parseJson(text, path);
  const scan = scanJsonKeys(text);
  if (scan.duplicate !== undefined) {
    const { key, parent } = scan.duplicate;
    if (parent === undefined) {
      throw badFile(
        path,
        `the header has two entries named "${key}" (a JSON parser would silently keep only the last)`,
        `Remove or rename one of them. ${REEXPORT}`,
        key === '__metadata__' ? undefined : key,
      );
    }
    throw badFile(
      path,
      `the header entry "${parent}" has the key "${key}" twice`,
      `Keep one of them. ${REEXPORT}`,
      parent === '__metadata__' ? undefined : parent,
    );
  }
  const { metadata, metadataEntries } = parseMetadata(json['__metadata__'], scan.nested.get('__metadata__'), path);
  const tensors: SafetensorsTensorInfo[] = [];
  for (const name of scan.keys) {
    if (name === '__metadata__') continue;
    tensors.push(parseEntry(name, json[name], dataLength, path));
  }
  checkLayout(tensors, dataLength, path);
  return { headerLength, dataStart, metadata, metadataEntries, tensors };
}

function decodeUtf8(bytes: Uint8Array, path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw badFile(path, 'the JSON header is not valid UTF-8', REEXPORT);
  }
}

function parseJson(text: string, path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? ` (${error.message})` : '';
    throw badFile(path, `the header is not valid JSON${detail}`, REEXPORT);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badFile(path, `the header JSON is ${describe(value)}, not an object of tensor entries`, REEXPORT);
  }
  return value as Record<string, unknown>;
}

function parseMetadata(
  value: unknown,
  order: readonly string[] | undefined,
  path: string,
): Pick<ParsedHeader, 'metadata' | 'metadataEntries'> {
  if (value === undefined) return { metadata: {}, metadataEntries: undefined };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badFile(path, `"__metadata__" is ${describe(value)}, not an object of strings`, REEXPORT);
  }
  const record = value as Record<string, unknown>;
  const metadata: Record<string, string> = {};
  const metadataEntries: (readonly [string, string])[] = [];
  for (const key of order ?? Object.keys(record)) {
    const v = record[key];
    if (typeof v !== 'string') {
      throw badFile(
        path,
        `"__metadata__" maps "${key}" to ${describe(v)}; the format allows only string values`,
        `Store it as a string (e.g. JSON text). ${REEXPORT}`,
      );
    }
    metadata[key] = v;
    metadataEntries.push([key, v]);
  }
  return { metadata, metadataEntries };
}

function parseEntry(name: string, value: unknown, dataLength: number, path: string): SafetensorsTensorInfo {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badFile(
      path,
      `the header entry is ${describe(value)}, not an object {"dtype", "shape", "data_offsets"}`,
      REEXPORT,
      name,
    );
  }
  const entry = value as Record<string, unknown>;
  const dtype = entry['dtype'];
  if (!isSafetensorsDtype(dtype)) {
    const problem =
      dtype === undefined
        ? 'the entry has no "dtype"'
        : typeof dtype === 'string' && OTHER_OFFICIAL_DTYPES.has(dtype)
          ? `dtype ${dtype} is valid safetensors but not supported by vlp`
          : `unknown dtype ${JSON.stringify(dtype)}`;
    throw badFile(
      path,
      problem,
      `Supported dtypes: ${SAFETENSORS_DTYPES.join(', ')}. Convert the tensor to one of them and re-export.`,
      name,
    );
  }
  const shape = entry['shape'];
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw badFile(
      path,
      `"shape" is ${JSON.stringify(shape) ?? 'missing'}, not an array of non-negative integers`,
      REEXPORT,
      name,
    );
  }
  const offsets = entry['data_offsets'];
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw badFile(
      path,
      `"data_offsets" is ${JSON.stringify(offsets) ?? 'missing'}, not two non-negative integers [begin, end]`,
      REEXPORT,
      name,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) {
    throw badFile(path, `"data_offsets" [${begin}, ${end}] begin after end`, REEXPORT, name);
  }
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  const expected = elements * dtypeByteSize(dtype);
  if (!Number.isSafeInteger(expected)) {
    throw badFile(path, `shape [${shape.join(', ')}] is too large to address`, REEXPORT, name);
  }
  if (end - begin !== expected) {
    throw badFile(
      path,
      `"data_offsets" [${begin}, ${end}] span ${end - begin} bytes, but shape [${shape.join(', ')}] of ${dtype} ` +
        `needs ${elements} × ${dtypeByteSize(dtype)} = ${expected} bytes`,
      `Fix the shape, dtype or offsets. ${REEXPORT}`,
      name,
    );
  }
  if (end > dataLength) {
    throw badFile(
      path,
      `"data_offsets" [${begin}, ${end}] reach beyond the data section, which has only ${dataLength} bytes`,
      REDOWNLOAD,
      name,
    );
  }
  return Object.freeze({
    name,
    dtype: dtype as SafetensorsDtype,
    shape: Object.freeze([...(shape as number[])]),
    dataOffsets: Object.freeze([begin, end] as const),
    byteLength: expected,
  });
}

/** The sorted offsets must tile `[0, dataLength)` exactly, as the official reader requires. */
function checkLayout(tensors: readonly SafetensorsTensorInfo[], dataLength: number, path: string): void {
  const sorted = [...tensors].sort(
    (a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1],
  );
  let covered = 0;
  let previous: SafetensorsTensorInfo | undefined;
  for (const t of sorted) {
    const [begin, end] = t.dataOffsets;
    if (begin < covered && previous !== undefined) {
      throw badFile(
        path,
        `its bytes [${begin}, ${end}) overlap those of tensor "${previous.name}" ` +
          `[${previous.dataOffsets[0]}, ${previous.dataOffsets[1]})`,
        `Each tensor needs its own bytes. ${REEXPORT}`,
        t.name,
      );
    }
    if (begin > covered) {
      const after = previous === undefined ? 'the start of the data section' : `tensor "${previous.name}"`;
      throw badFile(
        path,
        `its data starts at byte ${begin}, leaving a hole of ${begin - covered} unused bytes after ${after}; ` +
          'the format requires the tensors to cover the data section without gaps',
        REEXPORT,
        t.name,
      );
    }
    covered = end;
    previous = t;
  }
  if (covered !== dataLength) {
    throw badFile(
      path,
      `the data section has ${dataLength} bytes but the tensors cover only ${covered}; ` +
        `${dataLength - covered} trailing bytes belong to no tensor`,
      `Remove the trailing bytes or re-export the file.`,
    );
  }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${JSON.stringify(value)})`;
}
