// Where fit() draws batches from: in-memory tensors, or sources that convert per batch (byte images).

import type { Backend } from '../backend/backend.js';
import { check, ShapeError } from '../core/errors.js';
import { type FloatArray, formatShape, Tensor } from '../core/tensor.js';

/**
 * A data set of `size` examples with `features` inputs and `targets` outputs each. `fill` copies
 * the examples `indices[start..start+count)` into row-major batch buffers (converting as needed),
 * so that a training loop can reuse its buffers and the data can stay compact (e.g. bytes).
 */
export interface BatchSource {
  /** Number of examples m. */
  readonly size: number;
  /** Inputs per example (the width of a batch's x). */
  readonly features: number;
  /** Outputs per example (the width of a batch's y). */
  readonly targets: number;
  /** `backend` (the trainer's) may offer a faster way to convert the data (Backend.gatherUnitBytes). */
  fill(indices: ArrayLike<number>, start: number, count: number, x: FloatArray, y: FloatArray, backend?: Backend): void;
}

/**
 * Copies rows of float tensors x [m, features] and y [m, targets].
 *
 * @example
 * model.fit(new TensorSource(x, y), null, { epochs: 5 });
 */
export class TensorSource implements BatchSource {
  /** m, the rows of x and y. */
  readonly size: number;
  /** Columns of x. */
  readonly features: number;
  /** Columns of y. */
  readonly targets: number;

  /** Throws a ShapeError unless x and y are 2-D with the same number of rows. */
  constructor(
    /** Inputs [m, features]. */
    readonly x: Tensor,
    /** Targets [m, targets]. */
    readonly y: Tensor,
  ) {
    check(
      x.rank === 2 && y.rank === 2,
      ShapeError,
      () => `data: x and y must be 2-D [examples, features], got ${formatShape(x.shape)} and ${formatShape(y.shape)}`,
    );
    check(x.shape[0] === y.shape[0], ShapeError, () => `data: x has ${x.shape[0]} examples but y has ${y.shape[0]}`);
    this.size = x.shape[0]!;
    this.features = x.shape[1]!;
    this.targets = y.shape[1]!;
  }

  fill(indices: ArrayLike<number>, start: number, count: number, x: FloatArray, y: FloatArray): void {
    const f = this.features,
      t = this.targets;
    const xs = this.x.data,
      ys = this.y.data;
    for (let i = 0; i < count; i++) {
      const r = indices[start + i]!;
      x.set(xs.subarray(r * f, (r + 1) * f), i * f);
      y.set(ys.subarray(r * t, (r + 1) * t), i * t);
    }
  }
}

function littleEndian(): boolean {
  return new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
}

/** b/255 for every byte value: a table lookup is cheaper than a multiply and a conversion per pixel. */
const BYTE_TO_UNIT = Float32Array.from({ length: 256 }, (_, b) => b / 255);

/**
 * The pixels four at a time (little-endian words) when images of `features` pixels start on 4-byte
 * boundaries, else null: one load per four pixels fills a batch about a third faster than byte loads.
 */
function pixelWords(images: Uint8Array, features: number): Uint32Array | null {
  const aligned = features % 4 === 0 && images.byteOffset % 4 === 0 && littleEndian();
  return aligned ? new Uint32Array(images.buffer, images.byteOffset, images.length >> 2) : null;
}

/**
 * x[i, :] = image order[first + i] (image first + i without an order) of `features` pixels, each
 * byte b as Math.fround(b / 255) in [0, 1], for i < count: the one byte-to-float conversion of the
 * library (ByteImageSource, imagesToFloat32). The caller checks the ranges.
 */
export function unitPixels(
  images: Uint8Array,
  features: number,
  order: ArrayLike<number> | null,
  first: number,
  count: number,
  x: FloatArray,
  words = pixelWords(images, features),
): void {
  const f = features;
  for (let i = 0; i < count; i++) {
    const r = order ? order[first + i]! : first + i;
    let d = i * f;
    if (words !== null) {
      const end = (r + 1) * (f >> 2);
      for (let o = r * (f >> 2); o < end; o++) {
        const w = words[o]!;
        x[d] = BYTE_TO_UNIT[w & 255]!;
        x[d + 1] = BYTE_TO_UNIT[(w >>> 8) & 255]!;
        x[d + 2] = BYTE_TO_UNIT[(w >>> 16) & 255]!;
        x[d + 3] = BYTE_TO_UNIT[w >>> 24]!;
        d += 4;
      }
    } else {
      const o = r * f;
      for (let j = 0; j < f; j++) x[d + j] = BYTE_TO_UNIT[images[o + j]!]!;
    }
  }
}

/**
 * Byte images (0–255) with integer class labels: each batch is scaled to [0, 1] and one-hot
 * encoded on the fly, so 60 000 images stay 47 MB of bytes instead of 188 MB of floats.
 * `rows` makes the source a subset (a training or validation split) of the images without copying
 * them: example i is image rows[i].
 *
 * @example
 * const { train } = await loadImageDataset('fashion-mnist');
 * const source = new ByteImageSource(train.images, train.labels, 28 * 28, 10);
 * model.fit(source, null, { epochs: 5, batchSize: 128 });
 */
export class ByteImageSource implements BatchSource {
  /** Examples: rows.length, or every image without rows. */
  readonly size: number;
  /** The number of classes K (the one-hot width of y). */
  readonly targets: number;

  /** The pixels four at a time (little-endian words) when rows start on 4-byte boundaries, else null. */
  private readonly words: Uint32Array | null;
  /** Image numbers of a batch after mapping through `rows`, for the backend's gather (grows to the largest batch). */
  private mapped = new Uint32Array(0);

  /**
   * Throws a ShapeError when `images` does not hold labels.length images of `features` bytes, or
   * `rows` names an image that does not exist.
   */
  constructor(
    /** All images' pixels, image after image (features bytes each). */
    readonly images: Uint8Array,
    /** Class index (0..classes−1) of every image. */
    readonly labels: Uint8Array,
    /** Pixels per image (height·width·channels). */
    readonly features: number,
    classes: number,
    /** The images this source uses, in order (null: all of them). */
    readonly rows: Uint32Array | null = null,
  ) {
    check(
      images.length === labels.length * features,
      ShapeError,
      () => `image data: ${images.length} bytes do not hold ${labels.length} images of ${features} pixels`,
    );
    if (rows) {
      let max = -1;
      for (let i = 0; i < rows.length; i++) max = Math.max(max, rows[i]!);
      check(
        max < labels.length,
        ShapeError,
        () => `image data: rows name image ${max}, but there are ${labels.length} images`,
      );
    }
    this.size = rows ? rows.length : labels.length;
    this.targets = classes;
    this.words = pixelWords(images, features);
  }

  /** The image number of example i (i itself unless the source is a subset). */
  imageOf(i: number): number {
    return this.rows ? this.rows[i]! : i;
  }

  /** Class index of each example. */
  classes(): Uint8Array {
    return this.rows ? Uint8Array.from(this.rows, (r) => this.labels[r]!) : this.labels;
  }

  /** Examples [start, start + count) (default: all) as a float32 tensor [count, features] in [0, 1], for predict. */
  toTensor(start = 0, count = this.size - start): Tensor {
    check(
      Number.isInteger(start) && Number.isInteger(count) && start >= 0 && count >= 0 && start + count <= this.size,
      ShapeError,
      () => `image data: examples [${start}, ${start + count}) are outside the ${this.size} examples`,
    );
    const x = new Float32Array(count * this.features);
    unitPixels(this.images, this.features, this.rows, start, count, x, this.words);
    return new Tensor(x, [count, this.features]);
  }

  fill(
    indices: ArrayLike<number>,
    start: number,
    count: number,
    x: FloatArray,
    y: FloatArray,
    backend?: Backend,
  ): void {
    const k = this.targets;
    let order: ArrayLike<number> = indices;
    let first = start;
    if (this.rows) {
      if (this.mapped.length < count) this.mapped = new Uint32Array(count);
      for (let i = 0; i < count; i++) this.mapped[i] = this.rows[indices[start + i]!]!;
      order = this.mapped;
      first = 0;
    }
    y.fill(0, 0, count * k);
    for (let i = 0; i < count; i++) y[i * k + this.labels[order[first + i]!]!] = 1;
    if (backend?.gatherUnitBytes?.(this.images, order, first, count, this.features, x)) return;
    unitPixels(this.images, this.features, order, first, count, x, this.words);
  }
}
