export { createRng } from './create-rng.js';
export { type SeedLike, deriveSeed, normalizeSeed } from './seed.js';
