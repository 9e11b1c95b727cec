// Resampling of byte images to a fixed size: area averaging where an axis shrinks (every source pixel
// counts by the share of it an output pixel covers), bilinear interpolation where it grows. Each axis
// is resampled on its own (the filter is separable), so a 2× shrink of one axis averages pixel pairs.
import { check, ShapeError } from '../core/errors.js';

/** Source pixels and weights of each output pixel along one axis. */
interface AxisWeights {
  /** First source index of output i. */
  first: Int32Array;
  /** Number of source pixels of output i. */
  count: Int32Array;
  /** count[i] weights for output i, starting at i · stride. */
  weights: Float64Array;
  stride: number;
}

/**
 * Weights resampling `from` pixels to `to` pixels. Shrinking: output i covers the source interval
 * [i·s, (i+1)·s) with s = from/to, and each source pixel weighs the length of its overlap over s.
 * Growing: output i samples the source at x = (i + ½)·s − ½ (pixel centres aligned, as PIL and
 * OpenCV do), between floor(x) and floor(x)+1 with weights 1 − f and f, clamped at the edges.
 */
function axisWeights(from: number, to: number): AxisWeights {
  const s = from / to;
  const stride = s > 1 ? Math.ceil(s) + 1 : 2;
  const first = new Int32Array(to),
    count = new Int32Array(to),
    weights = new Float64Array(to * stride);
  for (let i = 0; i < to; i++) {
    if (s > 1) {
      const lo = i * s,
        hi = (i + 1) * s;
      const a = Math.floor(lo),
        b = Math.min(from, Math.ceil(hi));
      first[i] = a;
      count[i] = b - a;
      for (let k = a; k < b; k++) weights[i * stride + k - a] = (Math.min(hi, k + 1) - Math.max(lo, k)) / s;
    } else {
      const x = Math.min(Math.max((i + 0.5) * s - 0.5, 0), from - 1);
      const a = Math.floor(x),
        f = x - a;
      first[i] = a;
      if (a + 1 < from && f > 0) {
        count[i] = 2;
        weights[i * stride] = 1 - f;
        weights[i * stride + 1] = f;
      } else {
        count[i] = 1;
        weights[i * stride] = 1;
      }
    }
  }
  return { first, count, weights, stride };
}

/**
 * Resamples an interleaved byte image `src` [height, width, channels] to [outHeight, outWidth,
 * channels], written to `out` from `offset` (a new array by default). Results are rounded to the
 * nearest byte; a same-size resize copies.
 *
 * @example resizeImage(Uint8Array.of(0, 100, 200, 50), 2, 2, 1, 1, 1) // Uint8Array [88]: the mean of the four
 */
export function resizeImage(
  src: Uint8Array,
  height: number,
  width: number,
  channels: number,
  outHeight: number,
  outWidth: number,
  out: Uint8Array = new Uint8Array(outHeight * outWidth * channels),
  offset = 0,
): Uint8Array {
  for (const [name, v] of [
    ['height', height],
    ['width', width],
    ['channels', channels],
    ['output height', outHeight],
    ['output width', outWidth],
  ] as const) {
    check(Number.isInteger(v) && v > 0, ShapeError, () => `resizeImage: ${name} must be a positive integer, got ${v}`);
  }
  check(
    src.length === height * width * channels,
    ShapeError,
    () => `resizeImage: ${src.length} bytes for a ${height}×${width}×${channels} image`,
  );
  const size = outHeight * outWidth * channels;
  check(
    offset >= 0 && offset + size <= out.length,
    ShapeError,
    () => `resizeImage: output [${offset}, ${offset + size}) does not fit ${out.length} bytes`,
  );
  if (height === outHeight && width === outWidth) {
    out.set(src, offset);
    return out;
  }
  const c = channels;
  // Rows first: [height, outWidth, c] in floats, then columns into the bytes.
  const h = axisWeights(width, outWidth);
  const rows = new Float64Array(height * outWidth * c);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < outWidth; x++) {
      const a = h.first[x]!,
        n = h.count[x]!,
        w0 = x * h.stride;
      for (let ch = 0; ch < c; ch++) {
        let sum = 0;
        for (let k = 0; k < n; k++) sum += h.weights[w0 + k]! * src[(y * width + a + k) * c + ch]!;
        rows[(y * outWidth + x) * c + ch] = sum;
      }
    }
  }
  const v = axisWeights(height, outHeight);
  for (let y = 0; y < outHeight; y++) {
    const a = v.first[y]!,
      n = v.count[y]!,
      w0 = y * v.stride;
    for (let x = 0; x < outWidth * c; x++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += v.weights[w0 + k]! * rows[(a + k) * outWidth * c + x]!;
      out[offset + y * outWidth * c + x] = Math.min(255, Math.max(0, Math.round(sum)));
    }
  }
  return out;
}
