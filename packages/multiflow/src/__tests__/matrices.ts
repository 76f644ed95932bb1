/**
 * The hand-computed 3×4 example of the kernel tests. W is [out = 3, in = 4]; a = [4, 1, 0.25, 9],
 * so sqrt(a) = [2, 1, 0.5, 3]. Every intermediate value is exact in float64.
 *
 *   E = |W|·sqrt(a)      I_out = mean_j E   I_in = mean_i E = [6/3, 3/3, 3/3, 18/3]
 *   [2,   2,   1.5, 12]  4.375
 *   [1,   0.5, 0.5,  6]  2
 *   [3,   0.5, 1,    0]  1.125
 *
 *   S = I_out_i · I_in_j · |W_ij|
 *   [8.75,  8.75,   13.125, 105]
 *   [2,     1,      2,       24]
 *   [3.375, 0.5625, 2.25,     0]
 */
export const W3x4 = Float32Array.from([1, -2, 3, -4, 0.5, 0.5, -1, 2, -1.5, 0.5, 2, 0]);
export const SHAPE3x4 = [3, 4] as const;
export const A4 = [4, 1, 0.25, 9];
export const E3x4 = [2, 2, 1.5, 12, 1, 0.5, 0.5, 6, 3, 0.5, 1, 0];
export const I_OUT = [4.375, 2, 1.125];
export const I_IN = [2, 1, 1, 6];
export const S3x4 = [8.75, 8.75, 13.125, 105, 2, 1, 2, 24, 3.375, 0.5625, 2.25, 0];
