// The predicted class of a row: the one argmax that metrics, predict and report share.
import { describe, expect, it } from 'vitest';
import { argmaxRow, argmaxRows, ShapeError, Tensor } from '../../src/index.js';

describe('argmaxRow / argmaxRows', () => {
  it('give the column of each row maximum, the first of equal maxima, negatives and infinities included', () => {
    const y = Tensor.from([0.1, 0.7, 0.2, 0.5, 0.5, 0, -3, -1, -2, 1, Infinity, Infinity], [4, 3]);
    expect(Array.from(argmaxRows(y))).toEqual([1, 0, 1, 1]);
    expect([0, 1, 2, 3].map((r) => argmaxRow(y.data, r, 3))).toEqual([1, 0, 1, 1]);
    expect(Array.from(argmaxRows(Tensor.from([4, 9, 2], [3, 1])))).toEqual([0, 0, 0]);
    expect(argmaxRows(Tensor.zeros([0, 5])).length).toBe(0);
  });

  it('argmaxRows rejects a tensor that is not 2-D or has no columns', () => {
    expect(() => argmaxRows(Tensor.from([1, 2, 3], [3]))).toThrow(ShapeError);
    expect(() => argmaxRows(Tensor.from([1, 2, 3], [3]))).toThrow(
      /argmaxRows: expected a 2-D tensor \[examples, features\], got shape \[3\]/,
    );
    expect(() => argmaxRows(Tensor.zeros([2, 0]))).toThrow(
      /argmaxRows: rows of 0 columns have no largest entry \(shape \[2, 0\]\)/,
    );
  });
});
