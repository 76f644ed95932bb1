export type { RgbImage } from './rgb-image.js';
export { encodePng, decodePng, readPng } from './png.js';
