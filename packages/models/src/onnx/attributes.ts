/**
 * Turning JS values into typed ONNX attributes.
 *
 * ONNX checks attribute types strictly (`epsilon` must be FLOAT even when it is `1`), and JS numbers do not
 * say whether they are integers or floats. The rules are:
 * 1. Explicit wrappers ({@link attr}) always win.
 * 2. Otherwise the names in {@link FLOAT_ATTRIBUTE_NAMES} are FLOAT (or FLOATS for arrays).
 * 3. Otherwise a bigint, or a number that is an integer, is INT (INTS for arrays whose elements are all integers). Other numbers are FLOAT(S).
 *    Strings are STRING(S), and tensor inits are TENSOR.
 */
import { arrayMatchesDType, elementCount, ONNX_DATA_TYPE, rawBytes, type OnnxDType, type TensorDataArray } from './dtypes.js';
import { invalidArgument } from './errors.js';
import type { OnnxAttribute, OnnxAttributeType, OnnxTensor } from './onnx-messages.js';

/** Tensor contents: element type, shape and row-major data. */
export interface TensorInit {
  dtype: OnnxDType;
  dims: readonly number[];
  data: TensorDataArray;
}

/** An attribute value with its ONNX type spelled out (build with {@link attr}). */
export interface TypedAttributeValue {
  readonly attrType: OnnxAttributeType;
  readonly value: number | bigint | string | TensorInit | readonly number[] | readonly (number | bigint)[] | readonly string[];
}

/** Attribute values accepted by the graph builder. */
export type AttributeValue =
  | number
  | bigint
  | string
  | TensorInit
  | TypedAttributeValue
  | readonly number[]
  | readonly bigint[]
  | readonly string[];

/** Explicitly typed attribute values, for when inference would guess wrong. */
export const attr = {
  /** FLOAT attribute (e.g. `alpha: attr.float(1)`). */
  float: (value: number): TypedAttributeValue => ({ attrType: 'FLOAT', value }),
  /** INT attribute. */
  int: (value: number | bigint): TypedAttributeValue => ({ attrType: 'INT', value }),
  /** STRING attribute. */
  string: (value: string): TypedAttributeValue => ({ attrType: 'STRING', value }),
  /** FLOATS attribute. */
  floats: (value: readonly number[]): TypedAttributeValue => ({ attrType: 'FLOATS', value }),
  /** INTS attribute. */
  ints: (value: readonly (number | bigint)[]): TypedAttributeValue => ({ attrType: 'INTS', value }),
  /** STRINGS attribute. */
  strings: (value: readonly string[]): TypedAttributeValue => ({ attrType: 'STRINGS', value }),
  /** TENSOR attribute. */
  tensor: (value: TensorInit): TypedAttributeValue => ({ attrType: 'TENSOR', value }),
};

/**
 * Attribute names that are FLOAT (or FLOATS) in every ai.onnx operator that uses them, e.g.
 * LayerNormalization/BatchNormalization `epsilon`, Gemm/LeakyRelu/Elu/HardSigmoid `alpha`/`beta`,
 * Selu `gamma`, Shrink `bias`/`lambd`, Constant `value_float(s)`, Resize `cubic_coeff_a`.
 */
export const FLOAT_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set([
  'alpha',
  'beta',
  'gamma',
  'epsilon',
  'momentum',
  'lambd',
  'bias',
  'value_float',
  'value_floats',
  'cubic_coeff_a',
  'extrapolation_value',
  'spatial_scale',
  'scales',
]);

/** Validates a tensor init and converts it to an `OnnxTensor` with raw data (a view, not a copy). */
export function tensorFromInit(t: TensorInit, name?: string): OnnxTensor {
  if (!arrayMatchesDType(t.data, t.dtype)) {
    throw invalidArgument(`Tensor${name === undefined ? '' : ` "${name}"`}: ${t.data.constructor.name} cannot hold dtype ${t.dtype}.`);
  }
  const n = elementCount(t.dims);
  if (n !== t.data.length) {
    throw invalidArgument(
      `Tensor${name === undefined ? '' : ` "${name}"`}: dims [${t.dims.join(', ')}] need ${n} elements, data has ${t.data.length}.`,
    );
  }
  return { ...(name === undefined ? {} : { name }), dims: [...t.dims], dataType: ONNX_DATA_TYPE[t.dtype], rawData: rawBytes(t.data) };
}

function isTensorInit(v: unknown): v is TensorInit {
  return typeof v === 'object' && v !== null && 'dtype' in v && 'dims' in v && 'data' in v;
}

function isTyped(v: unknown): v is TypedAttributeValue {
  return typeof v === 'object' && v !== null && 'attrType' in v;
}

function fail(name: string, why: string): never {
  throw invalidArgument(`Attribute "${name}": ${why}`);
}

function typed(name: string, type: OnnxAttributeType, value: TypedAttributeValue['value']): OnnxAttribute {
  const isInt = (x: unknown) => typeof x === 'bigint' || (typeof x === 'number' && Number.isSafeInteger(x));
  switch (type) {
    case 'FLOAT':
      if (typeof value !== 'number') fail(name, 'FLOAT needs a number.');
      return { name, type, value };
    case 'INT':
      if (!isInt(value)) fail(name, `INT needs a safe integer or bigint, got ${String(value)}.`);
      return { name, type, value: value as number | bigint };
    case 'STRING':
      if (typeof value !== 'string') fail(name, 'STRING needs a string.');
      return { name, type, value };
    case 'TENSOR':
      if (!isTensorInit(value)) fail(name, 'TENSOR needs { dtype, dims, data }.');
      return { name, type, value: tensorFromInit(value) };
    case 'FLOATS':
      if (!Array.isArray(value) || !value.every((x) => typeof x === 'number')) fail(name, 'FLOATS needs an array of numbers.');
      return { name, type, value: [...(value as number[])] };
    case 'INTS':
      if (!Array.isArray(value) || !value.every(isInt)) fail(name, 'INTS needs an array of safe integers or bigints.');
      return { name, type, value: [...(value as (number | bigint)[])] };
    case 'STRINGS':
      if (!Array.isArray(value) || !value.every((x) => typeof x === 'string')) fail(name, 'STRINGS needs an array of strings.');
      return { name, type, value: [...(value as string[])] };
    default:
      return fail(name, `unsupported attribute type ${String(type)}.`);
  }
}

/** Converts one JS attribute value to a typed `OnnxAttribute` by the rules above. */
export function toAttribute(name: string, value: AttributeValue): OnnxAttribute {
  if (isTyped(value)) return typed(name, value.attrType, value.value);
  if (isTensorInit(value)) return typed(name, 'TENSOR', value);
  const floatName = FLOAT_ATTRIBUTE_NAMES.has(name);
  if (typeof value === 'string') return typed(name, 'STRING', value);
  if (typeof value === 'bigint') return typed(name, 'INT', value);
  if (typeof value === 'number') {
    return typed(name, !floatName && Number.isSafeInteger(value) ? 'INT' : 'FLOAT', value);
  }
  if (Array.isArray(value)) {
    const arr = value as readonly unknown[];
    if (arr.length > 0 && arr.every((x) => typeof x === 'string')) return typed(name, 'STRINGS', value);
    if (arr.some((x) => typeof x === 'bigint')) return typed(name, 'INTS', value);
    const allInt = arr.every((x) => typeof x === 'number' && Number.isSafeInteger(x));
    return typed(name, !floatName && allInt ? 'INTS' : 'FLOATS', value);
  }
  return fail(name, `cannot infer an ONNX attribute type for ${String(value)}.`);
}
