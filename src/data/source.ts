// Where fit() draws batches from: in-memory tensors, or sources that convert per batch (byte images).
import { ShapeError, check } from '../core/errors.js';
import { formatShape, type FloatArray, type Tensor } from '../core/tensor.js';

/**
 * A data set of `size` examples with `features` inputs and `targets` outputs each. `fill` copies
 * the examples `indices[start..start+count)` into row-major batch buffers (converting as needed),
 * so that a training loop can reuse its buffers and the data can stay compact (e.g. bytes).
 */
export interface BatchSource {
  readonly size: number;
  readonly features: number;
  readonly targets: number;
  fill(indices: ArrayLike<number>, start: number, count: number, x: FloatArray, y: FloatArray): void;
}

/** Copies rows of float tensors. */
export class TensorSource implements BatchSource {
  readonly size: number;
  readonly features: number;
  readonly targets: number;

  constructor(readonly x: Tensor, readonly y: Tensor) {
    check(x.rank === 2 && y.rank === 2, ShapeError, () => `data: x and y must be 2-D [examples, features], got ${formatShape(x.shape)} and ${formatShape(y.shape)}`);
    check(x.shape[0] === y.shape[0], ShapeError, () => `data: x has ${x.shape[0]} examples but y has ${y.shape[0]}`);
    this.size = x.shape[0]!;
    this.features = x.shape[1]!;
    this.targets = y.shape[1]!;
  }

  fill(indices: ArrayLike<number>, start: number, count: number, x: FloatArray, y: FloatArray): void {
    const f = this.features, t = this.targets;
    const xs = this.x.data, ys = this.y.data;
    for (let i = 0; i < count; i++) {
      const r = indices[start + i]!;
      x.set(xs.subarray(r * f, (r + 1) * f), i * f);
      y.set(ys.subarray(r * t, (r + 1) * t), i * t);
    }
  }
}

/** b/255 for every byte value: a table lookup is cheaper than a multiply and a conversion per pixel. */
const BYTE_TO_UNIT = Float32Array.from({ length: 256 }, (_, b) => b / 255);

/**
 * Byte images (0–255) with integer class labels: each batch is scaled to [0, 1] and one-hot
 * encoded on the fly, so 60 000 images stay 47 MB of bytes instead of 188 MB of floats.
 */
export class ByteImageSource implements BatchSource {
  readonly size: number;
  readonly targets: number;

  constructor(readonly images: Uint8Array, readonly labels: Uint8Array, readonly features: number, classes: number) {
    check(images.length === labels.length * features, ShapeError, () => `image data: ${images.length} bytes do not hold ${labels.length} images of ${features} pixels`);
    this.size = labels.length;
    this.targets = classes;
  }

  fill(indices: ArrayLike<number>, start: number, count: number, x: FloatArray, y: FloatArray): void {
    const f = this.features, k = this.targets;
    const images = this.images;
    y.fill(0, 0, count * k);
    for (let i = 0; i < count; i++) {
      const r = indices[start + i]!;
      const o = r * f, d = i * f;
      for (let j = 0; j < f; j++) x[d + j] = BYTE_TO_UNIT[images[o + j]!]!;
      y[i * k + this.labels[r]!] = 1;
    }
  }
}
