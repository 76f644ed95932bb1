export {
  dtypeByteSize,
  isSafetensorsDtype,
  SAFETENSORS_DTYPES,
  type SafetensorsDtype,
  type SafetensorsTypedArray,
} from './dtypes.js';
export {
  bfloat16BitsToFloat32,
  float16BitsToFloat32,
  float32ToBfloat16Bits,
  float32ToFloat16Bits,
} from './float16.js';
export type {
  SafetensorsFile,
  SafetensorsTensor,
  SafetensorsTensorInfo,
  ShardedSafetensorsFile,
} from './types.js';
export { readSafetensors, SAFETENSORS_WEIGHTS_FILE } from './read.js';
export { readShardedSafetensors, SAFETENSORS_INDEX_FILE } from './sharded.js';
export type {
  NamedSafetensorsTensorInput,
  SafetensorsMetadataInput,
  SafetensorsTensorInput,
  SafetensorsTensorsInput,
  SafetensorsWriteOptions,
} from './layout.js';
export { serializeSafetensors, writeSafetensors } from './write.js';
