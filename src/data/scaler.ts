// Input scaling fitted on training data: standardisation (the notes) and min-max; saved with the model.
import { check, DataError, FormatError, ShapeError } from '../core/errors.js';
import { expect2D, type FloatArray, type Tensor } from '../core/tensor.js';
import { Welford } from './welford.js';

/** A fitted scaler as saved in model.json (`toJSON()`, `scalerFromJSON`). */
export type ScalerConfig =
  | {
      /** StandardScaler. */
      type: 'standard';
      /** μ_j per feature. */
      mean: number[];
      /** σ_j per feature (> 0). */
      scale: number[];
    }
  | {
      /** MinMaxScaler. */
      type: 'minmax';
      /** min_j per feature. */
      min: number[];
      /** max_j per feature (≥ min_j). */
      max: number[];
    };

/** Input scaling fitted on training data, applied by fit, evaluate and predict (`Sequential.scaler`). */
export interface Scaler {
  /** `'standard'` or `'minmax'`. */
  readonly type: ScalerConfig['type'];
  /** The number of features n it was fitted on. */
  readonly features: number;
  /** Returns a scaled copy of x [m, features]. */
  transform(x: Tensor): Tensor;
  /** Scales rows in place (used per batch). */
  transformInPlace(data: FloatArray, m: number): void;
  /** The fitted values as plain data (copies). */
  toJSON(): ScalerConfig;
}

/**
 * The notes' input normalisation: x_j ← (x_j − μ_j)/σ_j with the per-feature mean μ and the
 * population standard deviation σ of the training data. A constant feature (σ = 0) gets σ = 1, so
 * it becomes 0 rather than NaN (scikit-learn's StandardScaler does the same).
 *
 * @example
 * const scaler = StandardScaler.fit(xTrain); const xs = scaler.transform(xTest);
 */
export class StandardScaler implements Scaler {
  /** `'standard'`. */
  readonly type = 'standard' as const;

  /**
   * A scaler with the given per-feature values (from model.json); use `StandardScaler.fit` to fit
   * one. Throws a ShapeError when the lengths differ, a FormatError for a non-finite mean or a
   * scale that is not finite and > 0.
   */
  constructor(
    /** μ_j of each feature. */
    readonly mean: number[],
    /** σ_j of each feature (> 0). */
    readonly scale: number[],
  ) {
    check(
      mean.length === scale.length,
      ShapeError,
      () => `StandardScaler: ${mean.length} means but ${scale.length} scales`,
    );
    check(
      scale.every((s) => Number.isFinite(s) && s > 0) && mean.every(Number.isFinite),
      FormatError,
      () => `StandardScaler: means must be finite and scales finite and > 0`,
    );
  }

  /** The number of features n. */
  get features(): number {
    return this.mean.length;
  }

  /** μ and σ of each column of x [m, n] (m > 0; a ShapeError for a tensor not 2-D, a DataError for m = 0). */
  static fit(x: Tensor): StandardScaler {
    expect2D(x, 'StandardScaler.fit');
    const [m, n] = x.shape as [number, number];
    check(m > 0, DataError, () => `StandardScaler.fit: no examples to fit on`);
    const stats = new Welford(n);
    stats.addRows(x.data, m);
    return StandardScaler.fromStats(stats);
  }

  /** The scaler of running statistics (data read in chunks, image bytes); a constant feature gets scale 1. */
  static fromStats(stats: Welford): StandardScaler {
    check(stats.count > 0, DataError, () => `StandardScaler.fit: no examples to fit on`);
    return new StandardScaler(Array.from(stats.mean), stats.scale());
  }

  transform(x: Tensor): Tensor {
    expect2D(x, 'StandardScaler.transform', this.features);
    const out = x.clone();
    this.transformInPlace(out.data, x.shape[0]!);
    return out;
  }

  transformInPlace(data: FloatArray, m: number): void {
    const n = this.features;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) data[i * n + j] = (data[i * n + j]! - this.mean[j]!) / this.scale[j]!;
  }

  /** `{ type: 'standard', mean, scale }`. */
  toJSON(): ScalerConfig {
    return { type: 'standard', mean: [...this.mean], scale: [...this.scale] };
  }
}

/**
 * x_j ← (x_j − min_j)/(max_j − min_j), into [0, 1] on the training data; a constant feature maps to 0.
 *
 * @example
 * const scaler = MinMaxScaler.fit(Tensor.from([[0, 10], [5, 20]]));
 * scaler.transform(Tensor.from([[2.5, 20]])).to2D(); // [[0.5, 1]]
 */
export class MinMaxScaler implements Scaler {
  /** `'minmax'`. */
  readonly type = 'minmax' as const;

  /**
   * A scaler with the given per-feature bounds; use `MinMaxScaler.fit` to fit one. Throws a
   * ShapeError when the lengths differ, a FormatError for non-finite bounds or max < min.
   */
  constructor(
    /** min_j of each feature. */
    readonly min: number[],
    /** max_j of each feature. */
    readonly max: number[],
  ) {
    check(min.length === max.length, ShapeError, () => `MinMaxScaler: ${min.length} minima but ${max.length} maxima`);
    check(
      min.every((v, j) => Number.isFinite(v) && Number.isFinite(max[j]!) && max[j]! >= v),
      FormatError,
      () => `MinMaxScaler: minima and maxima must be finite with max ≥ min`,
    );
  }

  /** The number of features n. */
  get features(): number {
    return this.min.length;
  }

  /** min and max of each column of x [m, n] (m > 0; a ShapeError for a tensor not 2-D, a DataError for m = 0). */
  static fit(x: Tensor): MinMaxScaler {
    expect2D(x, 'MinMaxScaler.fit');
    const [m, n] = x.shape as [number, number];
    check(m > 0, DataError, () => `MinMaxScaler.fit: no examples to fit on`);
    const min = new Array<number>(n).fill(Infinity);
    const max = new Array<number>(n).fill(-Infinity);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const v = x.data[i * n + j]!;
        if (v < min[j]!) min[j] = v;
        if (v > max[j]!) max[j] = v;
      }
    }
    return new MinMaxScaler(min, max);
  }

  transform(x: Tensor): Tensor {
    expect2D(x, 'MinMaxScaler.transform', this.features);
    const out = x.clone();
    this.transformInPlace(out.data, x.shape[0]!);
    return out;
  }

  transformInPlace(data: FloatArray, m: number): void {
    const n = this.features;
    for (let j = 0; j < n; j++) {
      const range = this.max[j]! - this.min[j]!;
      const inv = range > 0 ? 1 / range : 0;
      for (let i = 0; i < m; i++) data[i * n + j] = (data[i * n + j]! - this.min[j]!) * inv;
    }
  }

  /** `{ type: 'minmax', min, max }`. */
  toJSON(): ScalerConfig {
    return { type: 'minmax', min: [...this.min], max: [...this.max] };
  }
}

/** Rebuilds a scaler from model.json; throws a FormatError for an unknown type or invalid values. */
export function scalerFromJSON(c: ScalerConfig): Scaler {
  switch (c?.type) {
    case 'standard':
      return new StandardScaler(c.mean, c.scale);
    case 'minmax':
      return new MinMaxScaler(c.min, c.max);
    default:
      throw new FormatError(
        `unknown scaler type '${(c as { type?: string } | undefined)?.type}' (expected standard or minmax)`,
      );
  }
}
