/**
 * A minimal ONNX protobuf decoder: enough to read back what `onnx-messages.ts` writes (and ordinary ONNX
 * files restricted to the same fields) into the same plain objects. Unknown fields are skipped. Used by tests
 * and for inspecting exported files. Repeated scalars are accepted packed or unpacked. int64 values come back
 * as numbers when they are safe integers, as bigints otherwise.
 */
import { dtypeFromOnnx, elementCount, type TensorDataArray } from './dtypes.js';
import { invalidArgument, notSupported } from './errors.js';
import {
  ATTRIBUTE_TYPE,
  DATA_LOCATION,
  type OnnxAttribute,
  type OnnxGraph,
  type OnnxModel,
  type OnnxNode,
  type OnnxOpsetId,
  type OnnxStringEntry,
  type OnnxTensor,
  type OnnxValueInfo,
} from './onnx-messages.js';

/** One decoded wire field: a varint, 32/64-bit word or length-delimited payload (a view, not a copy). */
export interface WireField {
  field: number;
  wire: 0 | 1 | 2 | 5;
  varint?: bigint;
  bytes?: Uint8Array;
  fixed32?: Uint8Array;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw invalidArgument('Truncated protobuf varint.');
    const b = buf[pos++];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [BigInt.asUintN(64, result), pos];
    shift += 7n;
  }
  throw invalidArgument('Protobuf varint longer than 10 bytes.');
}

/** Splits one message's bytes into its wire fields, in order. */
export function readWireFields(buf: Uint8Array): WireField[] {
  const out: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, p1] = readVarint(buf, pos);
    pos = p1;
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [v, p2] = readVarint(buf, pos);
      out.push({ field, wire, varint: v });
      pos = p2;
    } else if (wire === 2) {
      const [len, p2] = readVarint(buf, pos);
      const end = p2 + Number(len);
      if (end > buf.length) throw invalidArgument(`Protobuf field ${field} overruns its message.`);
      out.push({ field, wire, bytes: buf.subarray(p2, end) });
      pos = end;
    } else if (wire === 5 || wire === 1) {
      const n = wire === 5 ? 4 : 8;
      if (pos + n > buf.length) throw invalidArgument(`Protobuf field ${field} overruns its message.`);
      out.push({ field, wire, fixed32: buf.subarray(pos, pos + n) });
      pos += n;
    } else {
      throw notSupported(`Protobuf wire type ${wire} (field ${field}) is not supported.`);
    }
  }
  return out;
}

function int64(v: bigint): number | bigint {
  const s = BigInt.asIntN(64, v);
  return s >= BigInt(Number.MIN_SAFE_INTEGER) && s <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(s) : s;
}

function num(v: bigint): number {
  const n = int64(v);
  if (typeof n === 'bigint') throw invalidArgument(`Integer ${n} is out of the safe range.`);
  return n;
}

function str(f: WireField): string {
  if (f.bytes === undefined) throw invalidArgument(`Protobuf field ${f.field} should be length-delimited.`);
  return utf8.decode(f.bytes);
}

function sub(f: WireField): Uint8Array {
  if (f.bytes === undefined) throw invalidArgument(`Protobuf field ${f.field} should be a message.`);
  return f.bytes;
}

/** Repeated varints, packed (wire 2) or not (wire 0). */
function varints(f: WireField): bigint[] {
  if (f.varint !== undefined) return [f.varint];
  const out: bigint[] = [];
  const b = sub(f);
  let pos = 0;
  while (pos < b.length) {
    const [v, p] = readVarint(b, pos);
    out.push(v);
    pos = p;
  }
  return out;
}

/** Repeated floats, packed (wire 2) or not (wire 5). */
function floats(f: WireField): number[] {
  const b = f.fixed32 ?? sub(f);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: number[] = [];
  for (let i = 0; i + 4 <= b.byteLength; i += 4) out.push(view.getFloat32(i, true));
  return out;
}

function stringEntry(b: Uint8Array): OnnxStringEntry {
  const e: OnnxStringEntry = { key: '', value: '' };
  for (const f of readWireFields(b)) {
    if (f.field === 1) e.key = str(f);
    else if (f.field === 2) e.value = str(f);
  }
  return e;
}

/** Decodes a `TensorProto` (dims, data_type, name, raw_data, external_data, data_location). */
export function decodeTensor(b: Uint8Array): OnnxTensor {
  const dims: number[] = [];
  const t: OnnxTensor = { dims, dataType: 0 };
  const ext: OnnxStringEntry[] = [];
  for (const f of readWireFields(b)) {
    if (f.field === 1) dims.push(...varints(f).map(num));
    else if (f.field === 2) t.dataType = num(f.varint ?? 0n);
    else if (f.field === 8) t.name = str(f);
    else if (f.field === 9) t.rawData = sub(f);
    else if (f.field === 13) ext.push(stringEntry(sub(f)));
    else if (f.field === 14) t.dataLocation = num(f.varint ?? 0n);
  }
  if (ext.length > 0) t.externalData = ext;
  return t;
}

const ATTRIBUTE_TYPE_NAME = Object.fromEntries(Object.entries(ATTRIBUTE_TYPE).map(([k, v]) => [v, k])) as Record<
  number,
  OnnxAttribute['type'] | undefined
>;

/** Decodes an `AttributeProto` of one of the supported types. */
export function decodeAttribute(b: Uint8Array): OnnxAttribute {
  let name = '';
  let type: OnnxAttribute['type'] | undefined;
  let f32: number | undefined;
  let i64: number | bigint | undefined;
  let s: string | undefined;
  let t: OnnxTensor | undefined;
  const fl: number[] = [];
  const ints: (number | bigint)[] = [];
  const strs: string[] = [];
  for (const f of readWireFields(b)) {
    switch (f.field) {
      case 1: name = str(f); break;
      case 2: f32 = floats(f)[0]; break;
      case 3: i64 = int64(f.varint ?? 0n); break;
      case 4: s = str(f); break;
      case 5: t = decodeTensor(sub(f)); break;
      case 7: fl.push(...floats(f)); break;
      case 8: ints.push(...varints(f).map(int64)); break;
      case 9: strs.push(str(f)); break;
      case 20: {
        const code = num(f.varint ?? 0n);
        type = ATTRIBUTE_TYPE_NAME[code];
        if (type === undefined) throw notSupported(`Attribute "${name}" has unsupported type code ${code}.`);
        break;
      }
      default: break;
    }
  }
  switch (type) {
    case 'FLOAT': return { name, type, value: f32 ?? 0 };
    case 'INT': return { name, type, value: i64 ?? 0 };
    case 'STRING': return { name, type, value: s ?? '' };
    case 'TENSOR':
      if (t === undefined) throw invalidArgument(`Attribute "${name}" of type TENSOR has no tensor.`);
      return { name, type, value: t };
    case 'FLOATS': return { name, type, value: fl };
    case 'INTS': return { name, type, value: ints };
    case 'STRINGS': return { name, type, value: strs };
    case undefined: throw invalidArgument(`Attribute "${name}" has no type field.`);
  }
}

/** Decodes a `NodeProto`. */
export function decodeNode(b: Uint8Array): OnnxNode {
  const input: string[] = [];
  const output: string[] = [];
  const attribute: OnnxAttribute[] = [];
  const n: OnnxNode = { opType: '', input, output, attribute };
  for (const f of readWireFields(b)) {
    if (f.field === 1) input.push(str(f));
    else if (f.field === 2) output.push(str(f));
    else if (f.field === 3) n.name = str(f);
    else if (f.field === 4) n.opType = str(f);
    else if (f.field === 5) attribute.push(decodeAttribute(sub(f)));
    else if (f.field === 7) n.domain = str(f);
  }
  return n;
}

/** Decodes a tensor-typed `ValueInfoProto`. */
export function decodeValueInfo(b: Uint8Array): OnnxValueInfo {
  const v: OnnxValueInfo = { name: '', elemType: 0 };
  for (const f of readWireFields(b)) {
    if (f.field === 1) v.name = str(f);
    else if (f.field === 2) {
      for (const tf of readWireFields(sub(f))) {
        if (tf.field !== 1) throw notSupported(`Value "${v.name}" is not a tensor type.`);
        for (const tt of readWireFields(sub(tf))) {
          if (tt.field === 1) v.elemType = num(tt.varint ?? 0n);
          else if (tt.field === 2) {
            const shape: (number | string)[] = [];
            for (const d of readWireFields(sub(tt))) {
              if (d.field !== 1) continue;
              let dim: number | string = '';
              for (const df of readWireFields(sub(d))) {
                if (df.field === 1) dim = num(df.varint ?? 0n);
                else if (df.field === 2) dim = str(df);
              }
              shape.push(dim);
            }
            v.shape = shape;
          }
        }
      }
    }
  }
  return v;
}

/** Decodes a `GraphProto`. */
export function decodeGraph(b: Uint8Array): OnnxGraph {
  const node: OnnxNode[] = [];
  const initializer: OnnxTensor[] = [];
  const input: OnnxValueInfo[] = [];
  const output: OnnxValueInfo[] = [];
  const valueInfo: OnnxValueInfo[] = [];
  const g: OnnxGraph = { name: '', node, initializer, input, output };
  for (const f of readWireFields(b)) {
    if (f.field === 1) node.push(decodeNode(sub(f)));
    else if (f.field === 2) g.name = str(f);
    else if (f.field === 5) initializer.push(decodeTensor(sub(f)));
    else if (f.field === 10) g.docString = str(f);
    else if (f.field === 11) input.push(decodeValueInfo(sub(f)));
    else if (f.field === 12) output.push(decodeValueInfo(sub(f)));
    else if (f.field === 13) valueInfo.push(decodeValueInfo(sub(f)));
  }
  if (valueInfo.length > 0) g.valueInfo = valueInfo;
  return g;
}

/** Decodes a `ModelProto` (the fields `OnnxModel` has). */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  let graph: OnnxGraph | undefined;
  const opsetImport: OnnxOpsetId[] = [];
  const metadata: OnnxStringEntry[] = [];
  const m: Omit<OnnxModel, 'graph'> & { graph?: OnnxGraph } = { irVersion: 0, opsetImport };
  for (const f of readWireFields(bytes)) {
    switch (f.field) {
      case 1: m.irVersion = num(f.varint ?? 0n); break;
      case 2: m.producerName = str(f); break;
      case 3: m.producerVersion = str(f); break;
      case 4: m.domain = str(f); break;
      case 5: m.modelVersion = num(f.varint ?? 0n); break;
      case 6: m.docString = str(f); break;
      case 7: graph = decodeGraph(sub(f)); break;
      case 8: {
        const o: OnnxOpsetId = { domain: '', version: 0 };
        for (const of of readWireFields(sub(f))) {
          if (of.field === 1) o.domain = str(of);
          else if (of.field === 2) o.version = num(of.varint ?? 0n);
        }
        opsetImport.push(o);
        break;
      }
      case 14: metadata.push(stringEntry(sub(f))); break;
      default: break;
    }
  }
  if (graph === undefined) throw invalidArgument('ONNX model has no graph.');
  if (metadata.length > 0) m.metadataProps = metadata;
  return { ...m, graph };
}

/**
 * A decoded tensor's elements as a fresh typed array. External tensors read their bytes from
 * `externalData` (the side file's contents) at the recorded offset and length.
 */
export function tensorValues(t: OnnxTensor, externalData?: Uint8Array): TensorDataArray {
  const dtype = dtypeFromOnnx(t.dataType);
  if (dtype === undefined) throw notSupported(`Tensor data type ${t.dataType} is not supported.`);
  let bytes = t.rawData;
  if (t.dataLocation === DATA_LOCATION.EXTERNAL) {
    if (externalData === undefined) throw invalidArgument(`Tensor "${t.name ?? ''}" is external; pass the external data.`);
    const entry = (k: string) => t.externalData?.find((e) => e.key === k)?.value;
    const offset = Number(entry('offset') ?? '0');
    const length = Number(entry('length') ?? String(externalData.byteLength - offset));
    bytes = externalData.subarray(offset, offset + length);
  }
  if (bytes === undefined) throw notSupported(`Tensor "${t.name ?? ''}" has no raw_data.`);
  const copy = bytes.slice().buffer;
  const n = elementCount(t.dims);
  switch (dtype) {
    case 'float32': return new Float32Array(copy, 0, n);
    case 'int64': return new BigInt64Array(copy, 0, n);
    case 'int32': return new Int32Array(copy, 0, n);
    case 'bool':
    case 'uint8': return new Uint8Array(copy, 0, n);
  }
}
