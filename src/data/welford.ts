// Running mean and variance per column in one pass (Welford's algorithm), so that scalers are fitted
// on data read in chunks as on data held whole; the one implementation behind every scaler fit.
import { check, ShapeError } from '../core/errors.js';

/**
 * Per-column mean and population variance of rows seen one at a time (Welford, 1962; Knuth TAOCP
 * vol. 2, 4.2.2): with δ = x − μ_{n−1}, μ_n = μ_{n−1} + δ/n and M2_n = M2_{n−1} + δ·(x − μ_n);
 * σ² = M2/n. Unlike Σx² − (Σx)²/n it keeps its precision when the mean is large against the spread
 * (values 1e8 + small noise), and it needs no second pass over the data.
 *
 * @example
 * const w = new Welford(2); w.addRow([1, 10]); w.addRow([3, 10]);
 * w.mean; // Float64Array [2, 10]   w.variance(); // [1, 0]
 */
export class Welford {
  /** Rows seen. */
  count = 0;
  /** The running mean of each column. */
  readonly mean: Float64Array;
  private readonly m2: Float64Array;

  /** @param columns the number of columns (features) each row has. */
  constructor(readonly columns: number) {
    check(
      Number.isInteger(columns) && columns >= 0,
      ShapeError,
      () => `Welford: columns must be a non-negative integer, got ${columns}`,
    );
    this.mean = new Float64Array(columns);
    this.m2 = new Float64Array(columns);
  }

  /** Adds one row: `columns` values of `data` from `offset`, each multiplied by `scale` (e.g. 1/255 for bytes). */
  addRow(data: ArrayLike<number>, offset = 0, scale = 1): void {
    const n = ++this.count;
    const mean = this.mean,
      m2 = this.m2;
    for (let j = 0; j < this.columns; j++) {
      const x = data[offset + j]! * scale;
      const delta = x - mean[j]!;
      mean[j]! += delta / n;
      m2[j]! += delta * (x - mean[j]!);
    }
  }

  /** Adds the m rows of a row-major [m, columns] array. */
  addRows(data: ArrayLike<number>, m: number): void {
    check(
      data.length >= m * this.columns,
      ShapeError,
      () => `Welford.addRows: ${data.length} values do not hold ${m} rows of ${this.columns}`,
    );
    for (let i = 0; i < m; i++) this.addRow(data, i * this.columns);
  }

  /** Population variance σ² = M2/n per column (NaN before any row). */
  variance(): Float64Array {
    return this.m2.map((s) => s / this.count);
  }

  /** Population standard deviation per column; a constant column (σ ≤ 1e-12) gets 1, as StandardScaler uses it. */
  scale(): number[] {
    return Array.from(this.variance(), (v) => {
      const sd = Math.sqrt(v);
      return sd > 1e-12 ? sd : 1;
    });
  }
}
