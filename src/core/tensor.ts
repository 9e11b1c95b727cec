// The tensor: a shape over a flat float typed array (row-major), garbage-collected, no disposal.
import { ConfigError, check, DataError, ShapeError } from './errors.js';

/** Element type of a tensor: float32 for training and inference, float64 for gradient checks. */
export type DType = 'float32' | 'float64';
/** The typed array behind a tensor of either DType. */
export type FloatArray = Float32Array | Float64Array;

/** Nested arrays of numbers as users write them: 3, [1, 2], [[1, 2], [3, 4]], ... */
export type NestedNumbers = number | NestedNumbers[];

export function allocate(dtype: DType, length: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

export function shapeSize(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function checkShape(shape: readonly number[], where: string): void {
  for (const d of shape) {
    check(
      Number.isInteger(d) && d >= 0,
      ShapeError,
      () => `${where}: invalid shape ${formatShape(shape)} (dimensions must be non-negative integers)`,
    );
  }
}

/**
 * An n-dimensional array of float32 (default) or float64 values, stored row-major.
 * Operations that look pure are pure; methods that mutate end in `InPlace`.
 *
 * @example
 * const x = Tensor.from([[1, 2], [3, 4]]); // shape [2, 2], float32
 * x.get(1, 0); // 3
 */
export class Tensor {
  /** Dimensions, outermost first: [m, n] for a batch of m examples of n features (frozen). */
  readonly shape: readonly number[];
  /** The values, row-major (the last index varies fastest); writable, shared by reshape/flatten. */
  readonly data: FloatArray;

  /**
   * Wraps `data` (not copied) as a tensor of `shape`. Throws a ShapeError when a dimension is not a
   * non-negative integer or the shape's size differs from `data.length`.
   */
  constructor(data: FloatArray, shape: readonly number[]) {
    checkShape(shape, 'Tensor');
    check(
      shapeSize(shape) === data.length,
      ShapeError,
      () => `Tensor: shape ${formatShape(shape)} holds ${shapeSize(shape)} values but the data has ${data.length}`,
    );
    this.data = data;
    this.shape = Object.freeze([...shape]);
  }

  /** float32 or float64, from the data's array type. */
  get dtype(): DType {
    return dtypeOf(this.data);
  }

  /** Number of values (the product of the dimensions). */
  get size(): number {
    return this.data.length;
  }

  /** Number of dimensions (2 for a batch [m, n]). */
  get rank(): number {
    return this.shape.length;
  }

  /** Rows of a 2-D tensor (the batch size m when examples are rows). */
  get rows(): number {
    this.expectRank(2, 'rows');
    return this.shape[0]!;
  }

  /** Columns of a 2-D tensor (the number of features n). */
  get cols(): number {
    this.expectRank(2, 'cols');
    return this.shape[1]!;
  }

  /** A tensor of `shape` filled with 0 (ShapeError for an invalid shape). */
  static zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape(shape, 'Tensor.zeros');
    return new Tensor(allocate(dtype, shapeSize(shape)), shape);
  }

  /** A tensor of `shape` filled with `value`. */
  static full(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
    const t = Tensor.zeros(shape, dtype);
    t.data.fill(value);
    return t;
  }

  /**
   * Builds a tensor from nested arrays (the shape is inferred and must be rectangular) or from a
   * flat array with an explicit shape. Non-finite values are allowed here; data loaders reject them.
   * Throws a ShapeError for a ragged array or values that do not fill `shape`, a DataError for a
   * non-number element.
   *
   * @example
   * Tensor.from([[1, 2, 3], [4, 5, 6]]).shape;         // [2, 3]
   * Tensor.from([1, 2, 3, 4, 5, 6], [3, 2]).get(2, 1); // 6
   */
  static from(values: NestedNumbers | ArrayLike<number>, shape?: readonly number[], dtype: DType = 'float32'): Tensor {
    if (shape !== undefined) {
      const flat = isArrayLike(values) ? Array.from(values as ArrayLike<number>) : [values as number];
      checkShape(shape, 'Tensor.from');
      check(
        flat.length === shapeSize(shape),
        ShapeError,
        () => `Tensor.from: ${flat.length} values do not fill shape ${formatShape(shape)} (${shapeSize(shape)} values)`,
      );
      const data = allocate(dtype, flat.length);
      for (let i = 0; i < flat.length; i++) {
        const v = flat[i];
        check(typeof v === 'number', DataError, () => `Tensor.from: value ${i} is ${typeof v}, expected a number`);
        data[i] = v;
      }
      return new Tensor(data, shape);
    }
    const inferred = inferShape(values as NestedNumbers);
    const data = allocate(dtype, shapeSize(inferred));
    let k = 0;
    const walk = (v: NestedNumbers, depth: number, path: string): void => {
      if (depth === inferred.length) {
        check(typeof v === 'number', DataError, () => `Tensor.from: element ${path} is not a number`);
        data[k++] = v as number;
        return;
      }
      check(
        Array.isArray(v) && v.length === inferred[depth],
        ShapeError,
        () => `Tensor.from: ragged nested array at ${path || 'top level'} (expected ${inferred[depth]} elements)`,
      );
      (v as NestedNumbers[]).forEach((child, i) => walk(child, depth + 1, `${path}[${i}]`));
    };
    walk(values as NestedNumbers, 0, '');
    return new Tensor(data, inferred);
  }

  /** Same data, new shape (one dimension may be -1 and is inferred). Shares the buffer. */
  reshape(shape: readonly number[]): Tensor {
    const unknown = shape.filter((d) => d === -1).length;
    check(unknown <= 1, ShapeError, () => `reshape: at most one dimension may be -1, got ${formatShape(shape)}`);
    let resolved = [...shape];
    if (unknown === 1) {
      const known = shapeSize(shape.filter((d) => d !== -1));
      check(
        known > 0 && this.size % known === 0,
        ShapeError,
        () => `reshape: cannot reshape ${formatShape(this.shape)} (${this.size} values) to ${formatShape(shape)}`,
      );
      resolved = shape.map((d) => (d === -1 ? this.size / known : d));
    }
    check(
      shapeSize(resolved) === this.size,
      ShapeError,
      () => `reshape: cannot reshape ${formatShape(this.shape)} (${this.size} values) to ${formatShape(shape)}`,
    );
    return new Tensor(this.data, resolved);
  }

  /**
   * The notes' first step: every example becomes a feature vector. Shape [m, d1, d2, ...] becomes
   * [m, d1·d2·...] (a batch of 64×64×3 images becomes [m, 12288]). Shares the buffer.
   */
  flatten(): Tensor {
    check(this.rank >= 1, ShapeError, () => `flatten: a scalar has no examples to flatten`);
    const m = this.shape[0]!;
    return this.reshape([m, shapeSize(this.shape.slice(1))]);
  }

  /** A copy with its own buffer. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  /** Converts to another dtype (always copies). */
  astype(dtype: DType): Tensor {
    const data = allocate(dtype, this.size);
    data.set(this.data);
    return new Tensor(data, this.shape);
  }

  /** Element at the given indices. */
  get(...indices: number[]): number {
    return this.data[this.offset(indices)]!;
  }

  /** Sets one element in place. */
  setInPlace(value: number, ...indices: number[]): void {
    this.data[this.offset(indices)] = value;
  }

  /** Rows `start` to `end` (exclusive) of the first axis, copied. */
  sliceRows(start: number, end: number): Tensor {
    check(
      this.rank >= 1 && start >= 0 && end <= this.shape[0]! && start <= end,
      ShapeError,
      () => `sliceRows: rows ${start}..${end} out of range for shape ${formatShape(this.shape)}`,
    );
    const width = this.size / Math.max(1, this.shape[0]!);
    return new Tensor(this.data.slice(start * width, end * width), [end - start, ...this.shape.slice(1)]);
  }

  /** Rows picked by index along the first axis, copied into a new tensor. */
  gatherRows(indices: ArrayLike<number>): Tensor {
    check(this.rank >= 1, ShapeError, () => `gatherRows: a scalar has no rows`);
    const m = this.shape[0]!;
    const width = m === 0 ? 0 : this.size / m;
    const out = allocate(this.dtype, indices.length * width);
    for (let i = 0; i < indices.length; i++) {
      const r = indices[i]!;
      check(
        Number.isInteger(r) && r >= 0 && r < m,
        ShapeError,
        () => `gatherRows: row index ${r} out of range [0, ${m})`,
      );
      out.set(this.data.subarray(r * width, (r + 1) * width), i * width);
    }
    return new Tensor(out, [indices.length, ...this.shape.slice(1)]);
  }

  /** Nested JavaScript arrays with the tensor's shape. */
  toArray(): NestedNumbers {
    if (this.rank === 0) return this.data[0]!;
    const build = (depth: number, offset: number): NestedNumbers[] => {
      const n = this.shape[depth]!;
      const stride = shapeSize(this.shape.slice(depth + 1));
      const out: NestedNumbers[] = [];
      for (let i = 0; i < n; i++) {
        out.push(depth === this.rank - 1 ? this.data[offset + i]! : build(depth + 1, offset + i * stride));
      }
      return out;
    };
    return build(0, 0);
  }

  /** 2-D tensor as an array of rows. */
  to2D(): number[][] {
    this.expectRank(2, 'to2D');
    const [m, n] = this.shape as [number, number];
    const out: number[][] = [];
    for (let i = 0; i < m; i++) out.push(Array.from(this.data.subarray(i * n, (i + 1) * n)));
    return out;
  }

  /** `Tensor([2, 3], float32)`: shape and dtype, not the values. */
  toString(): string {
    return `Tensor(${formatShape(this.shape)}, ${this.dtype})`;
  }

  private offset(indices: number[]): number {
    check(
      indices.length === this.rank,
      ShapeError,
      () =>
        `index ${formatShape(indices)} has ${indices.length} indices, tensor of shape ${formatShape(this.shape)} needs ${this.rank}`,
    );
    let offset = 0;
    for (let d = 0; d < indices.length; d++) {
      const i = indices[d]!;
      const n = this.shape[d]!;
      check(
        Number.isInteger(i) && i >= 0 && i < n,
        ShapeError,
        () => `index ${formatShape(indices)} out of range for shape ${formatShape(this.shape)}`,
      );
      offset = offset * n + i;
    }
    return offset;
  }

  private expectRank(rank: number, what: string): void {
    check(
      this.rank === rank,
      ShapeError,
      () => `${what}: expected a ${rank}-D tensor, got shape ${formatShape(this.shape)}`,
    );
  }
}

function isArrayLike(v: unknown): boolean {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

function inferShape(values: NestedNumbers): number[] {
  const shape: number[] = [];
  let v: NestedNumbers = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0]!;
  }
  return shape;
}

/** Throws a DataError naming the first NaN or Infinity in `t` (row and column for 2-D data). */
export function assertFinite(t: Tensor, what: string): void {
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i]!)) {
      const where = t.rank === 2 ? `row ${Math.floor(i / t.shape[1]!)}, column ${i % t.shape[1]!}` : `index ${i}`;
      throw new DataError(`${what}: ${d[i]} at ${where}; the data must be finite numbers`);
    }
  }
}

/** Checks a 2-D tensor whose columns must equal `features`. */
export function expect2D(t: Tensor, what: string, features?: number): void {
  check(
    t.rank === 2,
    ShapeError,
    () => `${what}: expected a 2-D tensor [examples, features], got shape ${formatShape(t.shape)}`,
  );
  if (features !== undefined) {
    check(t.shape[1] === features, ShapeError, () => `${what}: input has ${t.shape[1]} features, expected ${features}`);
  }
}

export function expectPositiveInt(value: number, what: string): void {
  check(Number.isInteger(value) && value > 0, ConfigError, () => `${what} must be a positive integer, got ${value}`);
}
