// The reference backend: straightforward loops in TypeScript, kept as the oracle for faster backends.

import { checkKeepThreshold, dropoutGroupDraws } from '../../core/philox.js';
import type { FloatArray } from '../../core/tensor.js';
import {
  type ActivationName,
  type AdamStep,
  adamCoefficients,
  type Backend,
  type DropoutMask,
  type GemmOptions,
  type MomentumStep,
  type RmsPropStep,
} from '../backend.js';
import { activationBackward, activationForward } from './activations.js';

/** One dropout mask group's draws, reused so that a training step allocates nothing. */
const groupDraws = new Uint32Array(32);

/** Plain-TypeScript kernels. Slow but obviously correct; works for float32 and float64. */
export class ReferenceBackend implements Backend {
  /** `'js'`. */
  readonly name = 'js' as const;

  allocFloat32(length: number): Float32Array {
    return new Float32Array(length);
  }

  free(): void {
    // Arrays on the JS heap are collected with their last reference.
  }

  gemm(
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    { m, n, k, transA = false, transB = false, accumulate = false }: GemmOptions,
  ): void {
    if (!accumulate) c.fill(0, 0, m * n);
    // i-p-j loop order keeps the inner loop contiguous in C and (untransposed) B.
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[p * m + i]! : a[i * k + p]!;
        if (aip === 0) continue;
        if (transB) {
          for (let j = 0; j < n; j++) c[ci + j] = c[ci + j]! + aip * b[j * k + p]!;
        } else {
          const bp = p * n;
          for (let j = 0; j < n; j++) c[ci + j] = c[ci + j]! + aip * b[bp + j]!;
        }
      }
    }
  }

  biasActivation(
    z: FloatArray,
    bias: FloatArray,
    a: FloatArray,
    m: number,
    n: number,
    activation: ActivationName,
    slope: number,
  ): void {
    for (let i = 0; i < m; i++) {
      const o = i * n;
      for (let j = 0; j < n; j++) z[o + j] = z[o + j]! + bias[j]!;
    }
    activationForward(z, a, m, n, activation, slope);
  }

  activation(z: FloatArray, a: FloatArray, m: number, n: number, activation: ActivationName, slope: number): void {
    activationForward(z, a, m, n, activation, slope);
  }

  activationBackward(
    z: FloatArray,
    a: FloatArray,
    dA: FloatArray,
    dZ: FloatArray,
    m: number,
    n: number,
    activation: ActivationName,
    slope: number,
  ): void {
    activationBackward(z, a, dA, dZ, m, n, activation, slope);
  }

  sumRows(x: FloatArray, out: FloatArray, m: number, n: number, accumulate: boolean): void {
    if (!accumulate) out.fill(0, 0, n);
    for (let i = 0; i < m; i++) {
      const o = i * n;
      for (let j = 0; j < n; j++) out[j] = out[j]! + x[o + j]!;
    }
  }

  scaledDifference(a: FloatArray, y: FloatArray, out: FloatArray, size: number, divisor: number): void {
    for (let i = 0; i < size; i++) out[i] = (a[i]! - y[i]!) / divisor;
  }

  dropout(x: FloatArray, out: FloatArray, mask: FloatArray, size: number, drop: DropoutMask): void {
    checkKeepThreshold(drop.threshold);
    const threshold = drop.threshold;
    for (let g = 0; 32 * g < size; g++) {
      dropoutGroupDraws(drop.key0, drop.key1, g, groupDraws);
      for (let j = 0; j < 32 && 32 * g + j < size; j++) {
        const i = 32 * g + j;
        mask[i] = groupDraws[j]! < threshold ? drop.scale : 0;
        // Read back: a float32 mask holds the rounded scale, which the product must use.
        out[i] = x[i]! * mask[i]!;
      }
    }
  }

  firstNonFinite(x: FloatArray, size: number): number {
    for (let i = 0; i < size; i++) if (!Number.isFinite(x[i]!)) return i;
    return -1;
  }

  multiply(a: FloatArray, b: FloatArray, out: FloatArray, size: number): void {
    for (let i = 0; i < size; i++) out[i] = a[i]! * b[i]!;
  }

  momentumUpdate(w: FloatArray, g: FloatArray, v: FloatArray | null, s: MomentumStep): void {
    const { lr, weightDecay: wd } = s;
    if (v === null) {
      for (let i = 0; i < w.length; i++) w[i] = w[i]! - lr * (g[i]! + wd * w[i]!);
      return;
    }
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]! + wd * w[i]!;
      const vi = s.decay * v[i]! + s.scale * gi;
      v[i] = vi;
      w[i] = w[i]! - lr * (s.nesterov === 0 ? vi : gi + s.nesterov * vi);
    }
  }

  rmspropUpdate(w: FloatArray, g: FloatArray, v: FloatArray, buffer: FloatArray | null, s: RmsPropStep): void {
    const { lr, weightDecay: wd, alpha, eps, momentum: mu } = s;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]! + wd * w[i]!;
      const vi = alpha * v[i]! + (1 - alpha) * gi * gi;
      v[i] = vi;
      const scaled = gi / (Math.sqrt(vi) + eps);
      if (buffer !== null) {
        const bi = mu * buffer[i]! + scaled;
        buffer[i] = bi;
        w[i] = w[i]! - lr * bi;
      } else {
        w[i] = w[i]! - lr * scaled;
      }
    }
  }

  adamUpdate(w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, s: AdamStep): void {
    const { stepSize, sqrtBc2, oneMinusBeta1, oneMinusBeta2, decay, l2 } = adamCoefficients(s);
    for (let i = 0; i < w.length; i++) {
      const wi = w[i]! * decay;
      const gi = g[i]! + l2 * w[i]!;
      const mi = s.beta1 * m[i]! + oneMinusBeta1 * gi;
      const vi = s.beta2 * v[i]! + oneMinusBeta2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      w[i] = wi - (stepSize * mi) / (Math.sqrt(vi) / sqrtBc2 + s.eps);
    }
  }
}

/** The shared reference backend: the default of every layer, model and optimiser. */
export const referenceBackend = new ReferenceBackend();
