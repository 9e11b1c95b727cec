// The backend interface: the few kernels an MLP spends its time in. The reference backend
// (plain TypeScript) is the oracle every faster backend is tested against.
import type { FloatArray } from '../core/tensor.js';

/** Activation functions g(z) that the notes use, plus leaky ReLU. */
export type ActivationName = 'linear' | 'sigmoid' | 'relu' | 'leaky_relu' | 'tanh' | 'softmax';

/** Every ActivationName. */
export const ACTIVATIONS: readonly ActivationName[] = ['linear', 'sigmoid', 'relu', 'leaky_relu', 'tanh', 'softmax'];

/** Hyper-parameters of an Adam/AdamW update (PyTorch's definition). */
export interface AdamStep {
  /** Learning rate α. */
  lr: number;
  /** Decay β1 of the first moment. */
  beta1: number;
  /** Decay β2 of the second moment. */
  beta2: number;
  /** ε added to √v̂. */
  eps: number;
  /** 1 − β1^t and 1 − β2^t for the current step t. */
  biasCorrection1: number;
  /** 1 − β2^t for the current step t. */
  biasCorrection2: number;
  /** λ (0: none). */
  weightDecay: number;
  /** AdamW: decay the weight directly (w ← w(1 − lr·λ)) instead of adding λw to the gradient. */
  decoupled: boolean;
}

/** The scalars of one Adam step that every backend's update loop uses; see adamCoefficients. */
export interface AdamCoefficients {
  /** lr / (1 − β1^t) */
  stepSize: number;
  /** √(1 − β2^t) */
  sqrtBc2: number;
  /** 1 − β1 and 1 − β2 */
  oneMinusBeta1: number;
  oneMinusBeta2: number;
  /** Factor on w before the step: 1 − lr·λ for AdamW, 1 for Adam. */
  decay: number;
  /** λ of the L2 term added to the gradient: λ for Adam, 0 for AdamW. */
  l2: number;
}

/**
 * PyTorch's form of the step, w ← w·decay − stepSize · m / (√v / sqrtBc2 + ε), which is
 * lr · m̂ / (√v̂ + ε) with the bias corrections folded into two scalars. Computed once per step in
 * TypeScript, so that the reference loop and the WASM kernels (which receive these numbers) agree.
 *
 * @example
 * adamCoefficients({ lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, biasCorrection1: 0.1, biasCorrection2: 0.001, weightDecay: 0, decoupled: false }).stepSize; // 1
 */
export function adamCoefficients(s: AdamStep): AdamCoefficients {
  return {
    stepSize: s.lr / s.biasCorrection1,
    sqrtBc2: Math.sqrt(s.biasCorrection2),
    oneMinusBeta1: 1 - s.beta1,
    oneMinusBeta2: 1 - s.beta2,
    decay: s.decoupled ? 1 - s.lr * s.weightDecay : 1,
    l2: s.decoupled ? 0 : s.weightDecay,
  };
}

/**
 * Hyper-parameters of a gradient-descent step with an optional velocity v: PyTorch's SGD (with
 * momentum and Nesterov) and the notes' momentum are all v ← decay·v + scale·g, w ← w − lr·d.
 */
export interface MomentumStep {
  lr: number;
  /** L2 penalty: g ← g + λw before anything else (PyTorch's weight_decay). */
  weightDecay: number;
  /** PyTorch: decay μ (0 on the first step, so that v starts as g) and scale 1; the notes: β and 1 − β. */
  decay: number;
  scale: number;
  /** Nesterov's look-ahead μ: d = g + μ·v instead of d = v (0: none). */
  nesterov: number;
}

/** Hyper-parameters of an RMSProp step (PyTorch's definition, not centred). */
export interface RmsPropStep {
  lr: number;
  weightDecay: number;
  /** Smoothing constant α of the squared-gradient average. */
  alpha: number;
  eps: number;
  /** Momentum μ on the scaled step (0: none, and no buffer). */
  momentum: number;
}

/**
 * An inverted-dropout mask drawn by Philox4x32-10 (src/core/philox.ts): element e is kept when its
 * 16-bit draw under the key is below `threshold`, so P(kept) = threshold / 2^16, and kept elements are
 * scaled by `scale` = 1/(1 − p). Counter-based: the mask depends on the key alone, not on how the
 * work is split.
 */
export interface DropoutMask {
  /** First word of the Philox key (unsigned 32-bit). */
  key0: number;
  /** Second word of the Philox key (unsigned 32-bit). */
  key1: number;
  /** Keep threshold in [0, 2^16] for the 16-bit draws (keepThreshold(1 − p)). */
  threshold: number;
  /** 1/(1 − p), the factor of kept elements. */
  scale: number;
}

/** The shape of a product C[m×n] = op(A)[m×k]·op(B)[k×n] and how its operands are stored. */
export interface GemmOptions {
  /** Rows of op(A) and of C. */
  m: number;
  /** Columns of op(B) and of C. */
  n: number;
  /** Columns of op(A), rows of op(B): the length of each dot product. */
  k: number;
  /** A is stored [k×m] and op(A) = Aᵀ (default false). */
  transA?: boolean;
  /** B is stored [n×k] and op(B) = Bᵀ (default false). */
  transB?: boolean;
  /** C += op(A)·op(B) instead of C = op(A)·op(B) (default false). */
  accumulate?: boolean;
}

/**
 * Kernels on flat row-major arrays. Every array argument is a dense buffer of exactly the size
 * its dimensions say; `out` arguments are written, never allocated. Arrays may be float32 or
 * float64, but all arrays of one call share a dtype.
 */
export interface Backend {
  /** `'js'` (reference), `'wasm'` or `'blas'`. */
  readonly name: 'js' | 'wasm' | 'blas';

  /** A zeroed float32 buffer that this backend's kernels can use without copying. */
  allocFloat32(length: number): Float32Array;

  /**
   * Gives back a buffer from `allocFloat32` or `allocBytes` (the very array returned, not a
   * subarray); the array must not be used afterwards. Backends over the JS heap do nothing.
   */
  free(array: Float32Array | Uint8Array): void;

  /**
   * C[m×n] = op(A)·op(B), or C += op(A)·op(B) when `accumulate`.
   * op(A) is A stored [m×k], or Aᵀ when `transA` (A stored [k×m]); likewise op(B) is [k×n] or
   * Bᵀ with B stored [n×k].
   */
  gemm(a: FloatArray, b: FloatArray, c: FloatArray, options: GemmOptions): void;

  /** Forward epilogue of a dense layer: z[i,j] += bias[j] (in place), then a = g(z). `a` may be `z`'s buffer only for elementwise g. */
  biasActivation(
    z: FloatArray,
    bias: FloatArray,
    a: FloatArray,
    m: number,
    n: number,
    activation: ActivationName,
    slope: number,
  ): void;

  /** a = g(z) without a bias (a stand-alone activation layer). */
  activation(z: FloatArray, a: FloatArray, m: number, n: number, activation: ActivationName, slope: number): void;

  /** Backward through g: dZ = dA ⊙ g′(z) (for softmax the row-wise Jacobian-vector product). */
  activationBackward(
    z: FloatArray,
    a: FloatArray,
    dA: FloatArray,
    dZ: FloatArray,
    m: number,
    n: number,
    activation: ActivationName,
    slope: number,
  ): void;

  /** out[i] = (a[i] − y[i]) / divisor for i < size: the fused softmax + cross-entropy gradient (ŷ − y)/m. */
  scaledDifference(a: FloatArray, y: FloatArray, out: FloatArray, size: number, divisor: number): void;

  /** out[j] = Σ_i x[i,j] over the m rows, or out[j] += that when `accumulate` (the bias gradient). */
  sumRows(x: FloatArray, out: FloatArray, m: number, n: number, accumulate: boolean): void;

  /**
   * Inverted dropout on `size` elements: mask[e] = scale when element e is kept (see DropoutMask;
   * word j of Philox block 4g + l, counter [4g + l, 0, 0, 0], decides element 16g + 4j + l), else 0;
   * out[e] = x[e]·mask[e]. `out` may be `x`.
   */
  dropout(x: FloatArray, out: FloatArray, mask: FloatArray, size: number, drop: DropoutMask): void;

  /** The index of the first of x[0..size) that is NaN or ±Infinity, or −1 when all are finite (input validation). */
  firstNonFinite(x: FloatArray, size: number): number;

  /** out[i] = a[i]·b[i] for i < size (dropout's backward: dX = dOut ⊙ mask). `out` may be `a` or `b`. */
  multiply(a: FloatArray, b: FloatArray, out: FloatArray, size: number): void;

  /**
   * One gradient-descent step in place: with no velocity w ← w − lr·(g + λw); with v (updated in
   * place) v ← decay·v + scale·(g + λw), then w ← w − lr·d with d = v, or g + λw + nesterov·v.
   */
  momentumUpdate(w: FloatArray, g: FloatArray, v: FloatArray | null, step: MomentumStep): void;

  /**
   * One RMSProp step in place: g ← g + λw, v ← αv + (1 − α)g², s = g/(√v + ε); with a momentum
   * buffer b ← μb + s and w ← w − lr·b, otherwise w ← w − lr·s.
   */
  rmspropUpdate(w: FloatArray, g: FloatArray, v: FloatArray, buffer: FloatArray | null, step: RmsPropStep): void;

  /** One Adam/AdamW update of w in place with first/second moments m, v (updated in place). */
  adamUpdate(w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, step: AdamStep): void;

  /**
   * Optional fast path for byte images: out[i·n + j] = bytes[rows[start + i]·n + j] / 255 (rounded
   * as Math.fround(b / 255)) for i < count, j < n. Returns false, doing nothing, when this backend
   * cannot do it faster than the caller's own loop (the wasm backend needs `bytes` in its memory).
   */
  gatherUnitBytes?(
    bytes: Uint8Array,
    rows: ArrayLike<number>,
    start: number,
    count: number,
    n: number,
    out: FloatArray,
  ): boolean;

  /** Optional: a zeroed byte buffer that gatherUnitBytes reads without copying (image data). */
  allocBytes?(length: number): Uint8Array;
}
