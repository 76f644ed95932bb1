export * from './shapes-vl/index.js';
export * from './image/index.js';
export * from './formats/index.js';
export { VERSION } from './version.js';
