// Classification scores computed from predictions after training: confusion matrix, per-class
// precision, recall and F1 (zero where undefined, as scikit-learn's zero_division=0).

import { ConfigError, check, DataError, ShapeError } from '../core/errors.js';

/** Per-class scores, each array indexed by class. */
export interface ClassScores {
  /** tp / (tp + fp): of the samples predicted as the class, the fraction that truly are; 0 if none predicted. */
  precision: number[];
  /** tp / (tp + fn): of the samples of the class, the fraction predicted as it; 0 if the class has no samples. */
  recall: number[];
  /** 2·p·r / (p + r); 0 when p + r = 0. */
  f1: number[];
  /** Number of true samples of the class (the row sum). */
  support: number[];
}

/**
 * Counts of (true class, predicted class) pairs: `matrix[t][p]` is the number of samples of class
 * `t` predicted as `p`. Rows sum to the class supports, the diagonal holds the correct predictions.
 *
 * @example confusionMatrix([0, 1, 1], [0, 0, 1], 2) // [[1, 0], [1, 1]]
 */
export function confusionMatrix(
  trueLabels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  numClasses: number,
): number[][] {
  check(
    Number.isInteger(numClasses) && numClasses > 0,
    ConfigError,
    () => `confusionMatrix: numClasses must be a positive integer, got ${numClasses}`,
  );
  check(
    trueLabels.length === predicted.length,
    ShapeError,
    () => `confusionMatrix: ${trueLabels.length} true labels but ${predicted.length} predictions`,
  );
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < trueLabels.length; i++) {
    const t = trueLabels[i]!;
    const p = predicted[i]!;
    check(
      isClass(t, numClasses),
      DataError,
      () => `confusionMatrix: true label ${t} at index ${i} is not a class in 0..${numClasses - 1}`,
    );
    check(
      isClass(p, numClasses),
      DataError,
      () => `confusionMatrix: predicted label ${p} at index ${i} is not a class in 0..${numClasses - 1}`,
    );
    matrix[t]![p]!++;
  }
  return matrix;
}

/**
 * Precision, recall, F1 and support of every class from a square confusion matrix
 * (`[true][predicted]`, as returned by {@link confusionMatrix}).
 *
 * @example classScores([[1, 0], [1, 1]]).precision // [0.5, 1]
 */
export function classScores(matrix: readonly (readonly number[])[]): ClassScores {
  const n = matrix.length;
  for (const [t, row] of matrix.entries()) {
    check(
      row.length === n,
      ShapeError,
      () => `classScores: the confusion matrix must be square, row ${t} has ${row.length} entries for ${n} classes`,
    );
  }
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  const support: number[] = [];
  for (let c = 0; c < n; c++) {
    const tp = matrix[c]![c]!;
    let predictedAsC = 0;
    let actualC = 0;
    for (let k = 0; k < n; k++) {
      predictedAsC += matrix[k]![c]!;
      actualC += matrix[c]![k]!;
    }
    const p = predictedAsC === 0 ? 0 : tp / predictedAsC;
    const r = actualC === 0 ? 0 : tp / actualC;
    precision.push(p);
    recall.push(r);
    f1.push(p + r === 0 ? 0 : (2 * p * r) / (p + r));
    support.push(actualC);
  }
  return { precision, recall, f1, support };
}

function isClass(label: number, numClasses: number): boolean {
  return Number.isInteger(label) && label >= 0 && label < numClasses;
}
