export {
  atomicWriteFile,
  type AtomicChunkWriter,
  type AtomicWriteData,
  type AtomicWriteOptions,
} from './atomic-write.js';
