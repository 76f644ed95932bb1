import { VlpError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { inverse } from '../__tests__/linear-algebra.js';
import { choleskyLower, inverseCholeskyUpper, invertLower } from './cholesky.js';
import { hessianFromGram } from './hessian.js';

const A = Float64Array.from([4, 12, -16, 12, 37, -43, -16, -43, 98]);

describe('choleskyLower', () => {
  it('factors the classic 3×3 example exactly', () => {
    expect(Array.from(choleskyLower(A, 3))).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
  });

  it('rejects a matrix that is not positive definite with VLP_INVALID_ARGUMENT', () => {
    let error: unknown;
    try {
      choleskyLower(Float64Array.from([1, 1, 1, 1]), 2, 'test Hessian');
    } catch (e) {
      error = e;
    }
    expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(/test Hessian is not positive definite \(Cholesky pivot 0 at column 1 of 2\).*dampening/);
  });
});

describe('invertLower / inverseCholeskyUpper', () => {
  it('inverts a lower-triangular factor', () => {
    const lInv = invertLower(choleskyLower(A, 3), 3);
    expect(Array.from(lInv).map((v) => Math.round(v * 1e9) / 1e9)).toEqual(Array.from(inverse([2, 0, 0, 6, 1, 0, -8, 5, 3], 3)).map((v) => Math.round(v * 1e9) / 1e9));
  });

  it('returns the upper factor U of A⁻¹ = UᵀU', () => {
    const u = inverseCholeskyUpper(A, 3);
    const inv = inverse(A, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        if (j < i) expect(u[i * 3 + j]).toBe(0);
        let uTu = 0;
        for (let k = 0; k < 3; k++) uTu += u[k * 3 + i] * u[k * 3 + j];
        expect(uTu).toBeCloseTo(inv[i * 3 + j], 9);
      }
    }
  });
});

describe('hessianFromGram', () => {
  it('is 2·XᵀX / sequences, and zero without data', () => {
    expect(Array.from(hessianFromGram([4, 2, 2, 6], 4))).toEqual([2, 1, 1, 3]);
    expect(Array.from(hessianFromGram([4, 2, 2, 6], 0))).toEqual([0, 0, 0, 0]);
  });
});
