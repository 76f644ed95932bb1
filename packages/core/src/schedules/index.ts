export { type CubicMaskingOptions, type CubicScheduleOptions, cubicMaskingStep, cubicSchedule } from './cubic.js';
export { type ExponentialScheduleOptions, exponentialSchedule } from './exponential.js';
export { type UpopScheduleOptions, upopSchedule } from './upop.js';
