// Confusion matrix and per-class scores against cases worked out by hand.

import { describe, expect, it } from 'vitest';
import { ConfigError, DataError, ShapeError } from '../../src/core/errors.js';
import { classScores, confusionMatrix } from '../../src/report/metrics.js';

describe('confusionMatrix', () => {
  it('counts [true][predicted] pairs', () => {
    const truth = [0, 0, 0, 1, 1, 2, 2, 2, 2];
    const pred = Int32Array.of(0, 1, 0, 1, 2, 2, 2, 0, 1);
    expect(confusionMatrix(truth, pred, 3)).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [1, 1, 2],
    ]);
  });

  it('keeps rows and columns of classes that never occur', () => {
    expect(confusionMatrix([1], [1], 3)).toEqual([
      [0, 0, 0],
      [0, 1, 0],
      [0, 0, 0],
    ]);
    expect(confusionMatrix([], [], 2)).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('rejects mismatched lengths, labels out of range and a bad class count', () => {
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow(ShapeError);
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow(/2 true labels but 1 predictions/);
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(DataError);
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/true label 3 at index 1 is not a class in 0\.\.2/);
    expect(() => confusionMatrix([0, 1], [0, 0.5], 3)).toThrow(/predicted label 0\.5 at index 1/);
    expect(() => confusionMatrix([0], [0], 0)).toThrow(ConfigError);
  });
});

describe('classScores', () => {
  it('gives precision, recall, F1 and support per class', () => {
    // Columns sum to 3, 3, 3; rows to 3, 2, 4 (see the matrix above).
    const s = classScores([
      [2, 1, 0],
      [0, 1, 1],
      [1, 1, 2],
    ]);
    expect(s.precision).toEqual([2 / 3, 1 / 3, 2 / 3]);
    expect(s.recall).toEqual([2 / 3, 1 / 2, 2 / 4]);
    expect(s.f1[0]).toBeCloseTo(2 / 3, 12);
    expect(s.f1[1]).toBeCloseTo(0.4, 12);
    expect(s.f1[2]).toBeCloseTo(4 / 7, 12);
    expect(s.support).toEqual([3, 2, 4]);
  });

  it('scores 0 where a ratio is undefined (zero_division=0)', () => {
    // Class 0 is never predicted, class 2 neither predicted nor present.
    const s = classScores(confusionMatrix([0, 1], [1, 1], 3));
    expect(s.precision).toEqual([0, 0.5, 0]);
    expect(s.recall).toEqual([0, 1, 0]);
    expect(s.f1[0]).toBe(0);
    expect(s.f1[1]).toBeCloseTo(2 / 3, 12);
    expect(s.f1[2]).toBe(0);
    expect(s.support).toEqual([1, 1, 0]);
  });

  it('rejects a matrix that is not square', () => {
    expect(() => classScores([[1, 0], [0]])).toThrow(/row 1 has 1 entries for 2 classes/);
  });
});
