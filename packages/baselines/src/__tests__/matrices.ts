/** The 3×4 weight every hand-computed kernel test uses (rows = outputs, row-major). */
export const W3x4 = Float32Array.from([1, -2, 3, -4, 0.5, 0.5, -1, 2, -3, 1, 0, 1]);
