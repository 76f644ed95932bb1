export { initBackend, currentBackend, type BackendInfo, type BackendRequest, type InitBackendOptions } from './init-backend.js';
export { defaultCandidates, findNativeAddon, type BackendCandidate, type BackendId } from './candidates.js';
export { installFastWasmMatMul } from './fast-wasm-matmul.js';
