// Activation functions g(z) and their derivatives, forward and backward side by side.
import { logSumExp, sigmoid } from '../../core/stable-math.js';
import type { FloatArray } from '../../core/tensor.js';
import type { ActivationName } from '../backend.js';

/** a = g(z) for m rows of n units. */
export function activationForward(
  z: FloatArray,
  a: FloatArray,
  m: number,
  n: number,
  g: ActivationName,
  slope: number,
): void {
  const size = m * n;
  switch (g) {
    case 'linear':
      if (a !== z) a.set(z.subarray(0, size));
      return;
    case 'sigmoid':
      for (let i = 0; i < size; i++) a[i] = sigmoid(z[i]!);
      return;
    case 'relu':
      // max(0, z); the notes print the derivative (1 if z > 0, else 0) in place of this formula.
      for (let i = 0; i < size; i++) a[i] = z[i]! > 0 ? z[i]! : 0;
      return;
    case 'leaky_relu':
      for (let i = 0; i < size; i++) a[i] = z[i]! > 0 ? z[i]! : slope * z[i]!;
      return;
    case 'tanh':
      for (let i = 0; i < size; i++) a[i] = Math.tanh(z[i]!);
      return;
    case 'softmax':
      // Row-wise softmax a_j = exp(z_j − log Σ_k exp(z_k)): no exponential overflows.
      for (let r = 0; r < m; r++) {
        const o = r * n;
        const lse = logSumExp(z, o, n);
        for (let j = 0; j < n; j++) a[o + j] = Math.exp(z[o + j]! - lse);
      }
      return;
    default: {
      const unreachable: never = g;
      throw new Error(`unknown activation ${String(unreachable)}`);
    }
  }
}

/** dZ = dA ⊙ g′(z). Uses the cached output a where g′ is cheaper in terms of a. */
export function activationBackward(
  z: FloatArray,
  a: FloatArray,
  dA: FloatArray,
  dZ: FloatArray,
  m: number,
  n: number,
  g: ActivationName,
  slope: number,
): void {
  const size = m * n;
  switch (g) {
    case 'linear':
      if (dZ !== dA) dZ.set(dA.subarray(0, size));
      return;
    case 'sigmoid':
      // σ′(z) = σ(z)(1 − σ(z))
      for (let i = 0; i < size; i++) dZ[i] = dA[i]! * a[i]! * (1 - a[i]!);
      return;
    case 'relu':
      // g′(z) = 1 if z > 0 else 0 (the subgradient at 0 is taken as 0, as PyTorch does)
      for (let i = 0; i < size; i++) dZ[i] = z[i]! > 0 ? dA[i]! : 0;
      return;
    case 'leaky_relu':
      for (let i = 0; i < size; i++) dZ[i] = z[i]! > 0 ? dA[i]! : slope * dA[i]!;
      return;
    case 'tanh':
      // tanh′(z) = 1 − tanh²(z)
      for (let i = 0; i < size; i++) dZ[i] = dA[i]! * (1 - a[i]! * a[i]!);
      return;
    case 'softmax':
      // Jacobian-vector product per row: dz_j = a_j (da_j − Σ_k da_k a_k)
      for (let r = 0; r < m; r++) {
        const o = r * n;
        let dot = 0;
        for (let j = 0; j < n; j++) dot += dA[o + j]! * a[o + j]!;
        for (let j = 0; j < n; j++) dZ[o + j] = a[o + j]! * (dA[o + j]! - dot);
      }
      return;
    default: {
      const unreachable: never = g;
      throw new Error(`unknown activation ${String(unreachable)}`);
    }
  }
}
