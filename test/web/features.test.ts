// The playground's input features: each one's value by hand, the layout of the expanded rows, and bad input.
import { describe, expect, it } from 'vitest';
import { canonicalFeatures, expandFeatures, FEATURES, featureValue, isIdentity } from '../../web/src/features.js';

describe('input features', () => {
  it('computes each feature at a point', () => {
    const at = (a: number, b: number): number[] => FEATURES.map((f) => featureValue(f, a, b));
    expect(at(2, -3)).toEqual([2, -3, 4, 9, -6, Math.sin(2), Math.sin(-3)]);
    expect(at(Math.PI / 2, 0)).toEqual([Math.PI / 2, 0, Math.PI ** 2 / 4, 0, 0, 1, 0]);
  });

  it('expands [n, 2] points to [n, k] rows in the order given', () => {
    const points = Float32Array.of(2, 3, -1, 0.5, 0, -4);
    expect(Array.from(expandFeatures(points, ['x1', 'x1x2', 'x2sq']))).toEqual([2, 6, 9, -1, -0.5, 0.25, 0, -0, 16]);
    expect(Array.from(expandFeatures(points, ['x1', 'x2']))).toEqual(Array.from(points));
    const all = expandFeatures(points, FEATURES);
    expect(all.length).toBe(3 * 7);
    expect(all[7 + 5]).toBeCloseTo(Math.sin(-1), 7);
    expect(all[14 + 6]).toBeCloseTo(Math.sin(-4), 7);
    expect(expandFeatures(new Float32Array(0), ['sinx1']).length).toBe(0);
  });

  it('rejects an odd number of coordinates and an empty feature list', () => {
    expect(() => expandFeatures([1, 2, 3], ['x1'])).toThrow(/expected \[n, 2\] points, got 3 values/);
    expect(() => expandFeatures([1, 2], [])).toThrow(/no feature chosen/);
  });

  it('orders a choice canonically and knows the plain coordinates', () => {
    expect(canonicalFeatures(['sinx2', 'x2', 'x1sq', 'x2'])).toEqual(['x2', 'x1sq', 'sinx2']);
    expect(canonicalFeatures([])).toBeNull();
    expect(canonicalFeatures(['x1', 'cosx1'])).toBeNull();
    expect(isIdentity(['x1', 'x2'])).toBe(true);
    expect(isIdentity(['x1', 'x2', 'x1sq'])).toBe(false);
    expect(isIdentity(['x2'])).toBe(false);
  });
});
