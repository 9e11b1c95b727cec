// Losses J(ŷ, y): value and gradient, with the fused, stable forms for sigmoid/softmax outputs.
import type { ActivationName, Backend } from '../backend/backend.js';
import { referenceBackend } from '../backend/reference/reference.js';
import { ConfigError, check, ShapeError } from '../core/errors.js';
import { logSumExp, sigmoid } from '../core/stable-math.js';
import { type FloatArray, formatShape, type Tensor } from '../core/tensor.js';

/** The losses J by name (see lossValue); `bce`, `cce`, `l2`, `l1` are accepted aliases. */
export type LossName = 'binary_crossentropy' | 'categorical_crossentropy' | 'mse' | 'mae' | 'huber';

/** Every LossName. */
export const LOSSES: readonly LossName[] = ['binary_crossentropy', 'categorical_crossentropy', 'mse', 'mae', 'huber'];

const LOSS_ALIASES: Record<string, LossName> = {
  bce: 'binary_crossentropy',
  cce: 'categorical_crossentropy',
  l2: 'mse',
  l1: 'mae',
};

/** Validates a loss name, accepting the short aliases bce, cce, l2 and l1. */
export function resolveLoss(name: string): LossName {
  const resolved = LOSS_ALIASES[name] ?? name;
  check(
    (LOSSES as readonly string[]).includes(resolved),
    ConfigError,
    () => `unknown loss '${name}'; expected one of ${[...LOSSES, ...Object.keys(LOSS_ALIASES)].join(', ')}`,
  );
  return resolved as LossName;
}

/** Default δ of the Huber loss (PyTorch's HuberLoss default). */
export const DEFAULT_HUBER_DELTA = 1;

/** Smallest probability fed to a logarithm when the loss only has probabilities (no logits). */
const PROB_EPS = 1e-7;

/**
 * What a loss sees of the network's output: the activations a = g(z), the targets y (same shape)
 * and, when the output layer's activation is known, g and the pre-activations z (logits).
 */
export interface LossInput {
  /** ŷ = A^[L], shape [m, n]. */
  output: Tensor;
  /** y, shape [m, n] (one-hot rows for categorical cross-entropy). */
  target: Tensor;
  /** g^[L] of the output layer, when known (enables the fused forms). */
  activation: ActivationName | null;
  /** z^[L], shape [m, n], when known (stable cross-entropy from logits). */
  logits: Tensor | null;
}

/** Whether the gradient can be taken directly with respect to z (ŷ − y forms). */
export function isFused(loss: LossName, activation: ActivationName | null): boolean {
  return (
    (loss === 'categorical_crossentropy' && activation === 'softmax') ||
    (loss === 'binary_crossentropy' && activation === 'sigmoid')
  );
}

function checkShapes(name: LossName, { output, target }: LossInput): void {
  check(
    output.rank === 2 &&
      target.rank === 2 &&
      output.shape[0] === target.shape[0] &&
      output.shape[1] === target.shape[1],
    ShapeError,
    () => `${name}: targets of shape ${formatShape(target.shape)} do not match the output ${formatShape(output.shape)}`,
  );
}

/**
 * The mean loss over the batch. Cross-entropy (categorical) is the mean over examples of
 * −Σ_k y_k log ŷ_k; BCE, MSE, MAE and Huber are means over examples AND output units (PyTorch's
 * `reduction='mean'`). With sigmoid/softmax outputs and logits available, the cross-entropies are
 * computed from z (log-sum-exp, softplus) so they never take log(0). Output and target must both be
 * [m, n] (a ShapeError otherwise); an empty batch gives NaN.
 *
 * @example
 * lossValue('mse', { output: Tensor.from([[1], [3]]), target: Tensor.from([[0], [1]]), activation: null, logits: null }); // (1² + 2²)/2 = 2.5
 */
export function lossValue(name: LossName, input: LossInput, delta = DEFAULT_HUBER_DELTA): number {
  checkShapes(name, input);
  const { output, target, logits } = input;
  const [m, n] = output.shape as [number, number];
  const a = output.data,
    y = target.data;
  const size = m * n;
  if (size === 0) return NaN;
  let total = 0;
  switch (name) {
    case 'categorical_crossentropy': {
      if (isFused(name, input.activation) && logits) {
        const z = logits.data;
        for (let r = 0; r < m; r++) {
          const o = r * n;
          const lse = logSumExp(z, o, n);
          for (let j = 0; j < n; j++) if (y[o + j] !== 0) total -= y[o + j]! * (z[o + j]! - lse);
        }
      } else {
        for (let i = 0; i < size; i++) if (y[i] !== 0) total -= y[i]! * Math.log(Math.max(a[i]!, PROB_EPS));
      }
      return total / m;
    }
    case 'binary_crossentropy': {
      if (isFused(name, input.activation) && logits) {
        // −[y log σ(z) + (1 − y) log(1 − σ(z))] = max(z, 0) − z·y + log(1 + e^(−|z|))
        const z = logits.data;
        for (let i = 0; i < size; i++) {
          const zi = z[i]!;
          total += Math.max(zi, 0) - zi * y[i]! + Math.log1p(Math.exp(-Math.abs(zi)));
        }
      } else {
        for (let i = 0; i < size; i++) {
          const p = Math.min(Math.max(a[i]!, PROB_EPS), 1 - PROB_EPS);
          total -= y[i]! * Math.log(p) + (1 - y[i]!) * Math.log(1 - p);
        }
      }
      return total / size;
    }
    case 'mse':
      for (let i = 0; i < size; i++) {
        const d = a[i]! - y[i]!;
        total += d * d;
      }
      return total / size;
    case 'mae':
      for (let i = 0; i < size; i++) total += Math.abs(a[i]! - y[i]!);
      return total / size;
    case 'huber':
      for (let i = 0; i < size; i++) {
        const d = Math.abs(a[i]! - y[i]!);
        total += d < delta ? 0.5 * d * d : delta * (d - 0.5 * delta);
      }
      return total / size;
    default: {
      const unreachable: never = name;
      throw new ConfigError(`unknown loss ${String(unreachable)}`);
    }
  }
}

/**
 * Writes the gradient of the mean loss into `out` and says with respect to what: `'z'` for the fused
 * forms (softmax + CCE: (ŷ − y)/m; sigmoid + BCE: (ŷ − y)/(m·n)), `'a'` otherwise. The softmax
 * form runs in `backend` (the training network's, so in WASM there).
 */
export function lossGradient(
  name: LossName,
  input: LossInput,
  out: FloatArray,
  delta = DEFAULT_HUBER_DELTA,
  backend: Backend = referenceBackend,
): 'z' | 'a' {
  checkShapes(name, input);
  const { output, target } = input;
  const [m, n] = output.shape as [number, number];
  const a = output.data,
    y = target.data;
  const size = m * n;
  switch (name) {
    case 'categorical_crossentropy':
      if (isFused(name, input.activation)) {
        backend.scaledDifference(a, y, out, size, m);
        return 'z';
      }
      for (let i = 0; i < size; i++) out[i] = y[i] === 0 ? 0 : -y[i]! / (Math.max(a[i]!, PROB_EPS) * m);
      return 'a';
    case 'binary_crossentropy':
      if (isFused(name, input.activation)) {
        // Recompute σ(z) from the logits when we have them: a float32 a may have rounded to 0 or 1.
        const z = input.logits?.data;
        for (let i = 0; i < size; i++) out[i] = ((z ? sigmoid(z[i]!) : a[i]!) - y[i]!) / size;
        return 'z';
      }
      for (let i = 0; i < size; i++) {
        const p = Math.min(Math.max(a[i]!, PROB_EPS), 1 - PROB_EPS);
        out[i] = (p - y[i]!) / (p * (1 - p) * size);
      }
      return 'a';
    case 'mse':
      for (let i = 0; i < size; i++) out[i] = (2 * (a[i]! - y[i]!)) / size;
      return 'a';
    case 'mae':
      // d|x|/dx = sign(x), taken as 0 at x = 0 (as PyTorch's L1Loss).
      for (let i = 0; i < size; i++) out[i] = Math.sign(a[i]! - y[i]!) / size;
      return 'a';
    case 'huber':
      for (let i = 0; i < size; i++) {
        const d = a[i]! - y[i]!;
        out[i] = (Math.abs(d) < delta ? d : delta * Math.sign(d)) / size;
      }
      return 'a';
    default: {
      const unreachable: never = name;
      throw new ConfigError(`unknown loss ${String(unreachable)}`);
    }
  }
}
