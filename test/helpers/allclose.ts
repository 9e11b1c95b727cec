// Numeric comparison helpers for tests.
import { expect } from 'vitest';

/** Asserts |a − b| ≤ atol + rtol·|b| element by element, naming the first offending index. */
export function expectAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol = 1e-6,
  atol = 1e-8,
  what = 'values',
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!,
      b = expected[i]!;
    if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) {
      throw new Error(`${what}[${i}]: ${a} differs from expected ${b} (rtol ${rtol}, atol ${atol})`);
    }
  }
}

export function flat(nested: unknown): number[] {
  return (nested as unknown[]).flat(Infinity as 1) as number[];
}
