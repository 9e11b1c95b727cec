// Numerically stable scalar forms shared by the reference kernels and the losses: σ(z) and
// log Σ exp(z) never overflow, whatever the size of z.
import type { FloatArray } from './tensor.js';

/** Logistic function σ(z) = 1 / (1 + e^(−z)), through e^z for negative z so that e^(−z) never overflows. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * log Σ_j exp(z[offset + j]) over the n entries of one row, as max + log Σ exp(z_j − max), so that
 * no exponential overflows. −Infinity for an empty row or one of −∞ only; NaN when an entry is NaN.
 *
 * @example
 * logSumExp(Float64Array.of(1000, 1000), 0, 2); // 1000 + ln 2
 */
export function logSumExp(z: FloatArray, offset: number, n: number): number {
  let max = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = z[offset + j]!;
    if (v > max) max = v;
    else if (Number.isNaN(v)) return NaN;
  }
  // Every entry −∞ (or none): the sum is 0, and max − max below would be NaN.
  if (max === -Infinity) return max;
  let sum = 0;
  for (let j = 0; j < n; j++) sum += Math.exp(z[offset + j]! - max);
  return max + Math.log(sum);
}
