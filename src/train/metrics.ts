// Metrics accumulated batch by batch: accuracy, binary accuracy, MSE, MAE and R².
import { ConfigError, check, ShapeError } from '../core/errors.js';
import { expect2D, type FloatArray, formatShape, type Tensor } from '../core/tensor.js';

/** The metrics by name (see createMetric for each definition). */
export type MetricName = 'accuracy' | 'binary_accuracy' | 'mse' | 'mae' | 'r2';
/** Every MetricName. */
export const METRICS: readonly MetricName[] = ['accuracy', 'binary_accuracy', 'mse', 'mae', 'r2'];

/** `name` as a MetricName; throws a ConfigError listing the metrics otherwise. */
export function resolveMetric(name: string): MetricName {
  check(
    (METRICS as readonly string[]).includes(name),
    ConfigError,
    () => `unknown metric '${name}'; expected one of ${METRICS.join(', ')}`,
  );
  return name as MetricName;
}

/** Index of the largest value in row `r` of an [m, n] matrix (the predicted class). */
export function argmaxRow(data: FloatArray, r: number, n: number): number {
  let best = 0;
  let bestValue = data[r * n]!;
  for (let j = 1; j < n; j++) {
    if (data[r * n + j]! > bestValue) {
      bestValue = data[r * n + j]!;
      best = j;
    }
  }
  return best;
}

/**
 * The predicted class of every row of an [m, k] matrix of scores or one-hot targets (argmaxRow of
 * each row; the first of equal maxima wins).
 *
 * @example
 * argmaxRows(Tensor.from([0.1, 0.7, 0.2, 0.5, 0.5, 0], [2, 3])); // Uint32Array [1, 0]
 */
export function argmaxRows(y: Tensor): Uint32Array {
  expect2D(y, 'argmaxRows');
  const [m, k] = y.shape as [number, number];
  check(k > 0, ShapeError, () => `argmaxRows: rows of 0 columns have no largest entry (shape ${formatShape(y.shape)})`);
  const out = new Uint32Array(m);
  for (let r = 0; r < m; r++) out[r] = argmaxRow(y.data, r, k);
  return out;
}

/** A running metric over batches of outputs ŷ and targets y, both [m, n]. */
export interface MetricAccumulator {
  /** Which metric. */
  readonly name: MetricName;
  /** Adds a batch: `output` ŷ and `target` y, each m·n values row-major. */
  update(output: FloatArray, target: FloatArray, m: number, n: number): void;
  /** The metric over every batch since the last reset (NaN before any example). */
  result(): number;
  /** Forgets every batch. */
  reset(): void;
}

/**
 * accuracy: with several outputs, argmax(ŷ) = argmax(y) (one class per example); with one output,
 * the sigmoid probability thresholded at 0.5. binary_accuracy: every output thresholded at 0.5 and
 * compared element by element (multi-label). mse, mae: means over all outputs. r2: 1 − SS_res/SS_tot
 * per output, averaged over outputs (scikit-learn's r2_score).
 *
 * @example
 * const acc = createMetric('accuracy');
 * acc.update(Float32Array.of(0.9, 0.1, 0.2, 0.8), Float32Array.of(1, 0, 1, 0), 2, 2);
 * acc.result(); // 0.5
 */
export function createMetric(name: MetricName): MetricAccumulator {
  switch (name) {
    case 'accuracy':
      return counter(name, (o, t, m, n) => {
        let correct = 0;
        for (let r = 0; r < m; r++) {
          if (n === 1) correct += (o[r]! >= 0.5 ? 1 : 0) === (t[r]! >= 0.5 ? 1 : 0) ? 1 : 0;
          else correct += argmaxRow(o, r, n) === argmaxRow(t, r, n) ? 1 : 0;
        }
        return [correct, m];
      });
    case 'binary_accuracy':
      return counter(name, (o, t, m, n) => {
        let correct = 0;
        for (let i = 0; i < m * n; i++) correct += o[i]! >= 0.5 === t[i]! >= 0.5 ? 1 : 0;
        return [correct, m * n];
      });
    case 'mse':
      return counter(name, (o, t, m, n) => {
        let s = 0;
        for (let i = 0; i < m * n; i++) s += (o[i]! - t[i]!) ** 2;
        return [s, m * n];
      });
    case 'mae':
      return counter(name, (o, t, m, n) => {
        let s = 0;
        for (let i = 0; i < m * n; i++) s += Math.abs(o[i]! - t[i]!);
        return [s, m * n];
      });
    case 'r2':
      return new R2();
  }
}

function counter(
  name: MetricName,
  batch: (o: FloatArray, t: FloatArray, m: number, n: number) => [number, number],
): MetricAccumulator {
  let sum = 0;
  let count = 0;
  return {
    name,
    update(o, t, m, n) {
      const [s, c] = batch(o, t, m, n);
      sum += s;
      count += c;
    },
    result: () => (count === 0 ? NaN : sum / count),
    reset() {
      sum = 0;
      count = 0;
    },
  };
}

/**
 * R² in one pass with Welford's running mean and sum of squared deviations per output, so SS_tot
 * does not cancel the way Σy² − (Σy)²/N does for targets with a large mean.
 */
class R2 implements MetricAccumulator {
  readonly name = 'r2' as const;
  private mean: number[] = [];
  private m2: number[] = [];
  private ssRes: number[] = [];
  private count = 0;

  update(o: FloatArray, t: FloatArray, m: number, n: number): void {
    if (this.mean.length !== n) {
      this.mean = new Array(n).fill(0);
      this.m2 = new Array(n).fill(0);
      this.ssRes = new Array(n).fill(0);
    }
    for (let r = 0; r < m; r++) {
      const count = this.count + r + 1;
      for (let j = 0; j < n; j++) {
        const y = t[r * n + j]!;
        const delta = y - this.mean[j]!;
        this.mean[j]! += delta / count;
        this.m2[j]! += delta * (y - this.mean[j]!);
        this.ssRes[j]! += (y - o[r * n + j]!) ** 2;
      }
    }
    this.count += m;
  }

  result(): number {
    if (this.count === 0) return NaN;
    let total = 0;
    for (let j = 0; j < this.mean.length; j++) {
      const ssTot = this.m2[j]!;
      // scikit-learn: a constant target scores 1 when predicted exactly, 0 otherwise.
      total += ssTot > 0 ? 1 - this.ssRes[j]! / ssTot : this.ssRes[j] === 0 ? 1 : 0;
    }
    return total / this.mean.length;
  }

  reset(): void {
    this.mean = [];
    this.m2 = [];
    this.ssRes = [];
    this.count = 0;
  }
}
