// Kept as a single import point for code inside @vlp/core; the classes live one per file.
export * from './index.js';
