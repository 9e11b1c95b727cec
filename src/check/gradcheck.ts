// Numerical gradient checking: back-propagation against central differences, in float64.
import { referenceBackend } from '../backend/reference/reference.js';
import { ConfigError, check } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { formatShape, type Tensor } from '../core/tensor.js';
import type { Sequential } from '../model/sequential.js';

/** Step, tolerances and sampling of gradCheck. */
export interface GradCheckOptions {
  /** Step ε of the central difference (default 1e-6). */
  epsilon?: number;
  /** Largest acceptable relative error (default 1e-6). */
  threshold?: number;
  /**
   * Absolute floor of the test (default 1e-8): a tensor passes when
   * ‖g_backprop − g_numeric‖ ≤ atol + threshold·(‖g_backprop‖ + ‖g_numeric‖), as
   * torch.autograd.gradcheck's atol and rtol. The central difference carries a round-off of about
   * 1e-16·J/ε per entry, which dominates the relative error of very small gradients.
   */
  atol?: number;
  /** Entries per tensor returned in `samples` for display (default 4). */
  samples?: number;
  /** Check at most this many entries per parameter tensor, sampled with `seed` (default 200). */
  maxPerTensor?: number;
  /** Use at most this many examples (the first ones; default 64). */
  maxExamples?: number;
  /** Seed of the entry sampling (default 0). */
  seed?: number;
}

/** The check of one parameter tensor (W^[l] or b^[l]). */
export interface TensorCheck {
  /** The parameter's name, `layers.{i}.weight` or `layers.{i}.bias`. */
  name: string;
  /** Its shape: [out, in] or [out]. */
  shape: number[];
  /** Entries compared. */
  checked: number;
  /** ‖g_backprop − g_numeric‖ / (‖g_backprop‖ + ‖g_numeric‖) over the checked entries (0 when both are 0). */
  relativeError: number;
  /** The largest abs(g_backprop − g_numeric) over the checked entries. */
  maxAbsError: number;
  /** ‖g_backprop − g_numeric‖ over the checked entries. */
  absError: number;
  /** Whether absError ≤ atol + threshold·(‖g_backprop‖ + ‖g_numeric‖). */
  passed: boolean;
  /** A few checked entries side by side: flat index, back-propagation's value and the central difference's. */
  samples: {
    /** Flat (row-major) index into the parameter. */
    index: number;
    /** dJ/dθ from back-propagation. */
    analytic: number;
    /** (J(θ + ε) − J(θ − ε)) / 2ε. */
    numeric: number;
  }[];
}

/** What gradCheck returns: the settings used, one TensorCheck per parameter, and the verdict. */
export interface GradCheckReport {
  /** The step ε used. */
  epsilon: number;
  /** The relative tolerance used. */
  threshold: number;
  /** The absolute floor used. */
  atol: number;
  /** Examples the loss was computed on (min(m, maxExamples)). */
  examples: number;
  /** One check per parameter tensor, in `parameters()` order. */
  tensors: TensorCheck[];
  /** The largest relativeError over the tensors (0 without any). */
  maxRelativeError: number;
  /** Whether every tensor passed. */
  passed: boolean;
}

/**
 * Compares dJ/dθ from back-propagation with the central difference
 * (J(θ + ε) − J(θ − ε)) / 2ε for sampled entries of every parameter tensor, on a float64 copy of
 * the model, so rounding does not hide a wrong derivative. The loss is computed in training mode, as
 * back-propagation sees it; a model with dropout (a random loss) is refused.
 *
 * A tensor passes when ‖g − ĝ‖ ≤ atol + threshold·(‖g‖ + ‖ĝ‖): the relative error below
 * `threshold`, with an absolute floor for gradients so small that round-off dominates.
 *
 * x is [m, features] and y [m, outputs] (a 1-D y is read as [m, 1]); the model must be compiled.
 * Throws a ConfigError for a non-positive ε, threshold or maxPerTensor, a negative atol or samples,
 * an empty x, or dropout; the model's own ShapeError/DataError for inputs that do not fit it.
 *
 * @example
 * const report = gradCheck(model, x, y); report.passed; // true when every tensor passes
 */
export function gradCheck(model: Sequential, x: Tensor, y: Tensor, options: GradCheckOptions = {}): GradCheckReport {
  const epsilon = options.epsilon ?? 1e-6;
  const threshold = options.threshold ?? 1e-6;
  const maxPer = options.maxPerTensor ?? 200;
  const atol = options.atol ?? 1e-8;
  const sampleCount = options.samples ?? 4;
  check(
    epsilon > 0 && threshold > 0 && maxPer > 0,
    ConfigError,
    () => `gradCheck: epsilon, threshold and maxPerTensor must be > 0`,
  );
  check(
    atol >= 0 && sampleCount >= 0,
    ConfigError,
    () => `gradCheck: atol and samples must be ≥ 0, got ${atol} and ${sampleCount}`,
  );
  const m = Math.min(x.shape[0]!, options.maxExamples ?? 64);
  check(m > 0, ConfigError, () => `gradCheck: no examples (x has shape ${formatShape(x.shape)})`);
  const xs = x.sliceRows(0, m).astype('float64');
  const ys = (y.rank === 1 ? y.reshape([y.shape[0]!, 1]) : y).sliceRows(0, m).astype('float64');
  // Dropout is a random function: check the deterministic network (dropout is the identity at rate 0).
  const model64 = model.withContext({ dtype: 'float64', backend: referenceBackend });
  const net = model64.network;
  check(
    net.layers.every((l) => l.type !== 'dropout' || (l.config() as { rate: number }).rate === 0),
    ConfigError,
    () => `gradCheck: the model has dropout, which makes the loss random; check a copy without dropout`,
  );
  const loss = (): number => model64.computeLoss(xs, ys);
  model64.computeGradients(xs, ys);
  const rng = new Rng(options.seed ?? 0);
  const tensors: TensorCheck[] = [];
  for (const p of net.parameters()) {
    const analytic = p.grad.data.slice();
    const w = p.value.data;
    const picks =
      w.length <= maxPer
        ? Array.from({ length: w.length }, (_, i) => i)
        : Array.from(rng.permutation(w.length).subarray(0, maxPer));
    let diff2 = 0,
      a2 = 0,
      n2 = 0,
      maxAbs = 0;
    const samples: TensorCheck['samples'] = [];
    for (const i of picks) {
      const saved = w[i]!;
      w[i] = saved + epsilon;
      const plus = loss();
      w[i] = saved - epsilon;
      const minus = loss();
      w[i] = saved;
      const numeric = (plus - minus) / (2 * epsilon);
      const d = analytic[i]! - numeric;
      diff2 += d * d;
      a2 += analytic[i]! ** 2;
      n2 += numeric * numeric;
      maxAbs = Math.max(maxAbs, Math.abs(d));
      if (samples.length < sampleCount) samples.push({ index: i, analytic: analytic[i]!, numeric });
    }
    const denom = Math.sqrt(a2) + Math.sqrt(n2);
    const absError = Math.sqrt(diff2);
    tensors.push({
      name: p.name,
      shape: [...p.value.shape],
      checked: picks.length,
      relativeError: denom === 0 ? 0 : absError / denom,
      maxAbsError: maxAbs,
      absError,
      passed: absError <= atol + threshold * denom,
      samples,
    });
  }
  const maxRelativeError = Math.max(0, ...tensors.map((t) => t.relativeError));
  return { epsilon, threshold, atol, examples: m, tensors, maxRelativeError, passed: tensors.every((t) => t.passed) };
}
