// A seeded shuffle buffer over fixed-width rows of numbers, as tf.data's Dataset.shuffle: rows that
// arrive in file order leave in a random order while only `capacity` of them are held.
import { ConfigError, check, ShapeError } from '../core/errors.js';
import type { Rng } from '../core/random.js';

/**
 * Holds up to `capacity` rows of `width` float32 values. Once full, each pushed row takes the place
 * of a uniformly chosen held row, which is emitted; at the end, the held rows are drawn out at
 * random. A row can move at most about `capacity` places earlier, and leaves the buffer after a
 * geometric number of later pushes, so the order is a full shuffle only when capacity ≥ rows.
 *
 * @example
 * const buf = new ShuffleBuffer(1000, 3, new Rng(1));
 * for (const row of rows) if (buf.push(row, 0, out, 0)) use(out);
 * while (buf.pop(out, 0)) use(out);
 */
export class ShuffleBuffer {
  private readonly rows: Float32Array;
  private held = 0;

  /**
   * @param capacity rows the buffer holds: the larger, the closer to a full shuffle.
   * @param width values per row.
   * @param rng the generator that picks which held row leaves next.
   */
  constructor(
    readonly capacity: number,
    readonly width: number,
    private readonly rng: Rng,
  ) {
    check(
      Number.isInteger(capacity) && capacity >= 1,
      ConfigError,
      () => `ShuffleBuffer: capacity must be a positive integer, got ${capacity}`,
    );
    check(
      Number.isInteger(width) && width >= 1,
      ShapeError,
      () => `ShuffleBuffer: width must be a positive integer, got ${width}`,
    );
    this.rows = new Float32Array(capacity * width);
  }

  /** Rows held now. */
  get size(): number {
    return this.held;
  }

  /**
   * Adds the row at `row[offset..offset+width)`. While the buffer fills, returns false; once full,
   * writes a randomly chosen held row to `out` at `outOffset`, keeps the new row in its place and returns true.
   */
  push(row: ArrayLike<number>, offset: number, out: Float32Array, outOffset: number): boolean {
    const w = this.width;
    if (this.held < this.capacity) {
      for (let j = 0; j < w; j++) this.rows[this.held * w + j] = row[offset + j]!;
      this.held++;
      return false;
    }
    const slot = this.rng.int(this.capacity) * w;
    out.set(this.rows.subarray(slot, slot + w), outOffset);
    for (let j = 0; j < w; j++) this.rows[slot + j] = row[offset + j]!;
    return true;
  }

  /** Moves a randomly chosen held row to `out`; false when the buffer is empty. */
  pop(out: Float32Array, outOffset: number): boolean {
    if (this.held === 0) return false;
    const w = this.width;
    const slot = this.rng.int(this.held) * w;
    out.set(this.rows.subarray(slot, slot + w), outOffset);
    this.held--;
    // The last held row fills the gap.
    this.rows.copyWithin(slot, this.held * w, (this.held + 1) * w);
    return true;
  }
}
