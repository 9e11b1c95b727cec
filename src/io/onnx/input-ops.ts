// The elementwise steps an ONNX graph (or a tfjs model's BatchNormalization) applies before the
// first dense layer, turned into a backprop scaler or, when no scaler expresses them, folded into
// the first layer's weights. Shared by the ONNX and tfjs imports.
import { check, FormatError } from '../../core/errors.js';
import type { ScalerConfig } from '../../data/scaler.js';

export type InputOp =
  | { kind: 'Sub' | 'Add' | 'Mul' | 'Div'; values: Float64Array; node: string }
  | {
      kind: 'BatchNormalization';
      scale: Float64Array;
      bias: Float64Array;
      mean: Float64Array;
      variance: Float64Array;
      epsilon: number;
      node: string;
    };

interface FirstDense {
  weight: Float64Array;
  bias: Float64Array;
  inFeatures: number;
}

/**
 * The scaler equivalent to `ops` on `first.inFeatures` features:
 * - Sub m, Div s (s > 0): StandardScaler(m, s), exactly; BatchNormalization with scale 1 and bias 0
 *   is StandardScaler(mean, √(var + ε)) (a MinMaxScaler when a variance is infinite: backprop's tfjs
 *   export of a constant column);
 * - Sub m, Mul k (k ≥ 0): MinMaxScaler(m, m + 1/k) (backprop's own export of a min-max scaler);
 * - any other chain is one affine map x ↦ a·x + c per feature: a StandardScaler(−c/a, 1/a) when
 *   every a > 0, else folded into the first dense layer (W ← W·diag(a), b ← b + W·c) with no scaler.
 * `saved` (the scaler a backprop export stored in its metadata) replaces the recognised one when its
 * float32 values are the graph's, so a round trip keeps the exact float64 scaler.
 */
export function affineToInput(
  ops: InputOp[],
  first: FirstDense,
  saved: ScalerConfig | null,
  src: string,
): ScalerConfig | null {
  if (ops.length === 0) return null;
  const n = first.inFeatures;
  const expand = (v: Float64Array, op: InputOp): Float64Array => {
    check(
      v.length === n || v.length === 1,
      FormatError,
      () => `${src}: ${op.node} has ${v.length} constants for ${n} input features`,
    );
    return v.length === n ? v : new Float64Array(n).fill(v[0]!);
  };
  const kinds = ops.map((o) => o.kind).join(',');
  const [op0, op1] = ops;
  if (kinds === 'Sub,Div' && op0!.kind === 'Sub' && op1!.kind === 'Div') {
    const mean = expand(op0!.values, op0!),
      scale = expand(op1!.values, op1!);
    if (scale.every((s) => s > 0)) return preferSaved({ type: 'standard', mean: [...mean], scale: [...scale] }, saved);
  }
  if (kinds === 'Sub,Mul' && op0!.kind === 'Sub' && op1!.kind === 'Mul') {
    const min = expand(op0!.values, op0!),
      inv = expand(op1!.values, op1!);
    if (inv.every((k) => k >= 0))
      return preferSaved(
        { type: 'minmax', min: [...min], max: [...min].map((lo, j) => (inv[j]! > 0 ? lo + 1 / inv[j]! : lo)) },
        saved,
      );
  }
  if (kinds === 'BatchNormalization' && op0!.kind === 'BatchNormalization') {
    const gamma = expand(op0!.scale, op0!),
      beta = expand(op0!.bias, op0!);
    const mean = [...expand(op0!.mean, op0!)],
      deviation = [...expand(op0!.variance, op0!)].map((v) => Math.sqrt(v + op0!.epsilon));
    // An infinite deviation maps its feature to 0: a min-max scaler's constant column.
    if (gamma.every((g) => g === 1) && beta.every((b) => b === 0) && deviation.every((d) => d > 0)) {
      const found: ScalerConfig = deviation.every(Number.isFinite)
        ? { type: 'standard', mean, scale: deviation }
        : {
            type: 'minmax',
            min: mean,
            max: mean.map((lo, j) => (Number.isFinite(deviation[j]!) ? lo + deviation[j]! : lo)),
          };
      return preferSaved(found, saved);
    }
  }
  // The general case: compose x ↦ a·x + c in float64.
  const a = new Float64Array(n).fill(1),
    c = new Float64Array(n);
  for (const op of ops) {
    if (op.kind === 'BatchNormalization') {
      const gamma = expand(op.scale, op),
        beta = expand(op.bias, op),
        mean = expand(op.mean, op),
        variance = expand(op.variance, op);
      for (let j = 0; j < n; j++) {
        const k = gamma[j]! / Math.sqrt(variance[j]! + op.epsilon);
        a[j]! *= k;
        c[j] = (c[j]! - mean[j]!) * k + beta[j]!;
      }
      continue;
    }
    const v = expand(op.values, op);
    for (let j = 0; j < n; j++) {
      switch (op.kind) {
        case 'Sub':
          c[j]! -= v[j]!;
          break;
        case 'Add':
          c[j]! += v[j]!;
          break;
        case 'Mul':
          a[j]! *= v[j]!;
          c[j]! *= v[j]!;
          break;
        case 'Div':
          a[j]! /= v[j]!;
          c[j]! /= v[j]!;
          break;
      }
    }
  }
  if (a.every((x) => x > 0 && Number.isFinite(x)) && c.every(Number.isFinite)) {
    return { type: 'standard', mean: [...a].map((x, j) => -c[j]! / x), scale: [...a].map((x) => 1 / x) };
  }
  check(
    a.every(Number.isFinite) && c.every(Number.isFinite),
    FormatError,
    () => `${src}: the input arithmetic before the first dense layer divides by zero`,
  );
  const outF = first.bias.length;
  for (let o = 0; o < outF; o++) {
    let shift = 0;
    for (let j = 0; j < n; j++) {
      shift += first.weight[o * n + j]! * c[j]!;
      first.weight[o * n + j]! *= a[j]!;
    }
    first.bias[o]! += shift;
  }
  return null;
}

/**
 * `saved` when it applies the same transform as `found` up to float32 rounding (relative 1e-6):
 * found's values came from float32 tensors, saved's are the exact float64 ones.
 */
function preferSaved(found: ScalerConfig, saved: ScalerConfig | null): ScalerConfig {
  if (saved === null) return found;
  const a = transformOf(found),
    b = transformOf(saved);
  if (a === null || b === null || a.shift.length !== b.shift.length) return found;
  const close = (x: number, y: number): boolean =>
    x === y || Math.abs(x - y) <= 1e-6 * Math.max(Math.abs(x), Math.abs(y));
  return a.shift.every((v, j) => close(v, b.shift[j]!) && close(a.factor[j]!, b.factor[j]!)) ? saved : found;
}

/** A scaler as x ↦ (x − shift)·factor, or null when the config is malformed. */
function transformOf(c: ScalerConfig): { shift: number[]; factor: number[] } | null {
  if (c?.type === 'standard' && Array.isArray(c.mean) && Array.isArray(c.scale))
    return { shift: c.mean, factor: c.scale.map((s) => 1 / s) };
  if (c?.type === 'minmax' && Array.isArray(c.min) && Array.isArray(c.max))
    return { shift: c.min, factor: c.min.map((lo, j) => (c.max[j]! - lo > 0 ? 1 / (c.max[j]! - lo) : 0)) };
  return null;
}
