/**
 * The ONNX messages the writer emits, as plain objects, and their protobuf encoding.
 *
 * Field numbers are those of onnx/onnx.proto (proto2; every field optional), cited next to each write.
 * Repeated scalar fields (`dims`, `ints`, `floats`) are written unpacked, the proto2 default that onnx.proto
 * declares for them. Parsers accept both forms.
 */
import { notSupported } from './errors.js';
import { ProtoMessage } from './protobuf-writer.js';

/** `StringStringEntryProto { key = 1; value = 2 }`. */
export interface OnnxStringEntry {
  key: string;
  value: string;
}

/** `TensorProto.DataLocation`: DEFAULT = 0 (in the proto), EXTERNAL = 1 (in `external_data`). */
export const DATA_LOCATION = { DEFAULT: 0, EXTERNAL: 1 } as const;

/** A `TensorProto` with data in `raw_data` or in an external file. */
export interface OnnxTensor {
  name?: string;
  /** Shape; `[]` is a scalar. */
  dims: readonly number[];
  /** `TensorProto.DataType` code (see `ONNX_DATA_TYPE`). */
  dataType: number;
  /** Little-endian element bytes. Present for DEFAULT location (may be empty for zero-element tensors). */
  rawData?: Uint8Array;
  /** `location` / `offset` / `length` entries when `dataLocation` is EXTERNAL. */
  externalData?: readonly OnnxStringEntry[];
  /** `DATA_LOCATION.EXTERNAL` for external data; omitted otherwise. */
  dataLocation?: number;
}

/** `AttributeProto.AttributeType` codes used here. */
export const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/** Attribute type names supported by the writer. */
export type OnnxAttributeType = keyof typeof ATTRIBUTE_TYPE;

/** An `AttributeProto`, discriminated by its `type`. Strings are UTF-8 text. */
export type OnnxAttribute =
  | { name: string; type: 'FLOAT'; value: number }
  | { name: string; type: 'INT'; value: number | bigint }
  | { name: string; type: 'STRING'; value: string }
  | { name: string; type: 'TENSOR'; value: OnnxTensor }
  | { name: string; type: 'FLOATS'; value: readonly number[] }
  | { name: string; type: 'INTS'; value: readonly (number | bigint)[] }
  | { name: string; type: 'STRINGS'; value: readonly string[] };

/** A `NodeProto`. An empty string in `input` marks an omitted optional input. */
export interface OnnxNode {
  opType: string;
  input: readonly string[];
  output: readonly string[];
  name?: string;
  /** Operator set domain; `''`/omitted is `ai.onnx`. */
  domain?: string;
  attribute: readonly OnnxAttribute[];
}

/**
 * A `ValueInfoProto` of tensor type. `shape` entries are fixed sizes (`dim_value`) or symbolic names
 * (`dim_param`); an omitted `shape` means the rank is unknown, `[]` a scalar.
 */
export interface OnnxValueInfo {
  name: string;
  elemType: number;
  shape?: readonly (number | string)[];
}

/** A `GraphProto`; `node` must be in topological order. */
export interface OnnxGraph {
  name: string;
  node: readonly OnnxNode[];
  initializer: readonly OnnxTensor[];
  input: readonly OnnxValueInfo[];
  output: readonly OnnxValueInfo[];
  valueInfo?: readonly OnnxValueInfo[];
  docString?: string;
}

/** An `OperatorSetIdProto`; domain `''` is the default `ai.onnx` set. */
export interface OnnxOpsetId {
  domain: string;
  version: number;
}

/** A `ModelProto`. */
export interface OnnxModel {
  irVersion: number;
  opsetImport: readonly OnnxOpsetId[];
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  graph: OnnxGraph;
  metadataProps?: readonly OnnxStringEntry[];
}

/** Protobuf's hard limit on one message (2 GiB − 1); larger models need external data. */
export const MAX_PROTO_BYTES = 2 ** 31 - 1;

function stringEntryMessage(e: OnnxStringEntry): ProtoMessage {
  return new ProtoMessage().string(1, e.key).string(2, e.value); // key = 1, value = 2
}

/** Builds the `TensorProto` message. */
export function tensorMessage(t: OnnxTensor): ProtoMessage {
  const m = new ProtoMessage();
  for (const d of t.dims) m.varint(1, d); // repeated int64 dims = 1
  m.varint(2, t.dataType); // int32 data_type = 2
  if (t.name !== undefined) m.string(8, t.name); // string name = 8
  if (t.rawData !== undefined) m.bytes(9, t.rawData); // bytes raw_data = 9
  for (const e of t.externalData ?? []) m.message(13, stringEntryMessage(e)); // repeated StringStringEntryProto external_data = 13
  if (t.dataLocation !== undefined) m.varint(14, t.dataLocation); // DataLocation data_location = 14
  return m;
}

/** Builds the `AttributeProto` message. */
export function attributeMessage(a: OnnxAttribute): ProtoMessage {
  const m = new ProtoMessage().string(1, a.name); // string name = 1
  m.varint(20, ATTRIBUTE_TYPE[a.type]); // AttributeType type = 20
  switch (a.type) {
    case 'FLOAT':
      m.float(2, a.value); // float f = 2
      break;
    case 'INT':
      m.varint(3, a.value); // int64 i = 3
      break;
    case 'STRING':
      m.string(4, a.value); // bytes s = 4
      break;
    case 'TENSOR':
      m.message(5, tensorMessage(a.value)); // TensorProto t = 5
      break;
    case 'FLOATS':
      for (const v of a.value) m.float(7, v); // repeated float floats = 7
      break;
    case 'INTS':
      for (const v of a.value) m.varint(8, v); // repeated int64 ints = 8
      break;
    case 'STRINGS':
      for (const v of a.value) m.string(9, v); // repeated bytes strings = 9
      break;
  }
  return m;
}

/** Builds the `NodeProto` message. */
export function nodeMessage(n: OnnxNode): ProtoMessage {
  const m = new ProtoMessage();
  for (const i of n.input) m.string(1, i); // repeated string input = 1
  for (const o of n.output) m.string(2, o); // repeated string output = 2
  if (n.name !== undefined) m.string(3, n.name); // string name = 3
  m.string(4, n.opType); // string op_type = 4
  for (const a of n.attribute) m.message(5, attributeMessage(a)); // repeated AttributeProto attribute = 5
  if (n.domain !== undefined && n.domain !== '') m.string(7, n.domain); // string domain = 7
  return m;
}

/** Builds the `ValueInfoProto` message (tensor type only). */
export function valueInfoMessage(v: OnnxValueInfo): ProtoMessage {
  const tensor = new ProtoMessage().varint(1, v.elemType); // TypeProto.Tensor: int32 elem_type = 1
  if (v.shape !== undefined) {
    const shape = new ProtoMessage();
    for (const d of v.shape) {
      const dim = new ProtoMessage();
      if (typeof d === 'number') dim.varint(1, d); // Dimension: int64 dim_value = 1
      else dim.string(2, d); // Dimension: string dim_param = 2
      shape.message(1, dim); // TensorShapeProto: repeated Dimension dim = 1
    }
    tensor.message(2, shape); // TypeProto.Tensor: TensorShapeProto shape = 2
  }
  const type = new ProtoMessage().message(1, tensor); // TypeProto: Tensor tensor_type = 1
  return new ProtoMessage().string(1, v.name).message(2, type); // ValueInfoProto: name = 1, type = 2
}

/** Builds the `GraphProto` message. */
export function graphMessage(g: OnnxGraph): ProtoMessage {
  const m = new ProtoMessage();
  for (const n of g.node) m.message(1, nodeMessage(n)); // repeated NodeProto node = 1
  m.string(2, g.name); // string name = 2
  for (const t of g.initializer) m.message(5, tensorMessage(t)); // repeated TensorProto initializer = 5
  if (g.docString !== undefined) m.string(10, g.docString); // string doc_string = 10
  for (const v of g.input) m.message(11, valueInfoMessage(v)); // repeated ValueInfoProto input = 11
  for (const v of g.output) m.message(12, valueInfoMessage(v)); // repeated ValueInfoProto output = 12
  for (const v of g.valueInfo ?? []) m.message(13, valueInfoMessage(v)); // repeated ValueInfoProto value_info = 13
  return m;
}

/** Builds the `ModelProto` message. */
export function modelMessage(model: OnnxModel): ProtoMessage {
  const m = new ProtoMessage().varint(1, model.irVersion); // int64 ir_version = 1
  if (model.producerName !== undefined) m.string(2, model.producerName); // string producer_name = 2
  if (model.producerVersion !== undefined) m.string(3, model.producerVersion); // string producer_version = 3
  if (model.domain !== undefined) m.string(4, model.domain); // string domain = 4
  if (model.modelVersion !== undefined) m.varint(5, model.modelVersion); // int64 model_version = 5
  if (model.docString !== undefined) m.string(6, model.docString); // string doc_string = 6
  m.message(7, graphMessage(model.graph)); // GraphProto graph = 7
  for (const o of model.opsetImport) {
    // repeated OperatorSetIdProto opset_import = 8 { string domain = 1; int64 version = 2 }
    m.message(8, new ProtoMessage().string(1, o.domain).varint(2, o.version));
  }
  for (const e of model.metadataProps ?? []) m.message(14, stringEntryMessage(e)); // repeated metadata_props = 14
  return m;
}

/**
 * Serialises a model to ONNX protobuf bytes. Throws `VLP_NOT_SUPPORTED` above protobuf's 2 GiB message
 * limit (move initializers to external data).
 */
export function encodeModel(model: OnnxModel): Uint8Array {
  const msg = modelMessage(model);
  const size = msg.size();
  if (size > MAX_PROTO_BYTES) {
    throw notSupported(
      `ONNX model proto would be ${size} bytes, above protobuf's 2 GiB limit; store large initializers as external data.`,
    );
  }
  return msg.encode();
}
