/**
 * ONNX model writing for `@vlp/models`: protobuf encoding of the ONNX messages, a graph builder,
 * external data, atomic saving, a decoder for inspection and tests, and onnxruntime-node sessions.
 */
export { attr, FLOAT_ATTRIBUTE_NAMES, toAttribute, tensorFromInit } from './attributes.js';
export type { AttributeValue, TensorInit, TypedAttributeValue } from './attributes.js';
export { decodeAttribute, decodeGraph, decodeModel, decodeNode, decodeTensor, decodeValueInfo, readWireFields, tensorValues } from './decode.js';
export type { WireField } from './decode.js';
export { DTYPE_BYTES, dtypeFromOnnx, dtypeOfArray, ONNX_DATA_TYPE } from './dtypes.js';
export type { OnnxDType, TensorDataArray } from './dtypes.js';
export { externalizeInitializers, validateExternalLocation } from './external-data.js';
export type { ExternalDataOptions, ExternalizedInitializers } from './external-data.js';
export { OnnxGraphBuilder } from './graph-builder.js';
export type { BuiltOnnxModel, ConstantOptions, Dim, NodeOptions, OnnxGraphBuilderOptions, ToModelOptions } from './graph-builder.js';
export { ATTRIBUTE_TYPE, DATA_LOCATION, encodeModel, MAX_PROTO_BYTES } from './onnx-messages.js';
export type {
  OnnxAttribute,
  OnnxAttributeType,
  OnnxGraph,
  OnnxModel,
  OnnxNode,
  OnnxOpsetId,
  OnnxStringEntry,
  OnnxTensor,
  OnnxValueInfo,
} from './onnx-messages.js';
export { ProtoMessage, varintSize } from './protobuf-writer.js';
export { saveOnnxModel } from './save.js';
export type { SavedOnnxModel } from './save.js';
export { createOrtSession, releaseSession } from './session.js';
export type { OrtProvider, OrtSessionHandle, OrtSessionOptions } from './session.js';
