// σ(z) and log Σ exp(z) against hand values, at sizes where the naive formulas overflow.
import { describe, expect, it } from 'vitest';
import { logSumExp, sigmoid } from '../../src/core/stable-math.js';

describe('sigmoid', () => {
  it('is 1/2 at 0, symmetric, and saturates without NaN at ±800 (where e^800 overflows)', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(2)).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
    expect(sigmoid(-2)).toBeCloseTo(1 - sigmoid(2), 15);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(-40)).toBeGreaterThan(0);
  });
});

describe('logSumExp', () => {
  it('is log Σ exp over the row at the offset, for small and huge entries', () => {
    expect(logSumExp(Float64Array.of(9, 0, Math.log(3), 9), 1, 2)).toBeCloseTo(Math.log(4), 15);
    expect(logSumExp(Float64Array.of(1000, 1000), 0, 2)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp(Float64Array.of(-1000, -1000, -1000), 0, 3)).toBeCloseTo(-1000 + Math.log(3), 12);
    expect(logSumExp(Float32Array.of(5), 0, 1)).toBe(5);
  });

  it('is −∞ for an empty row or one of −∞ only, and NaN when an entry is NaN', () => {
    expect(logSumExp(Float64Array.of(1), 0, 0)).toBe(-Infinity);
    expect(logSumExp(Float64Array.of(-Infinity, -Infinity), 0, 2)).toBe(-Infinity);
    expect(logSumExp(Float64Array.of(-Infinity, 2), 0, 2)).toBe(2);
    expect(logSumExp(Float64Array.of(NaN, NaN), 0, 2)).toBeNaN();
    expect(logSumExp(Float64Array.of(1, NaN), 0, 2)).toBeNaN();
  });
});
