// The elementwise steps an ONNX graph applies before its first dense layer, turned into a
// backprop scaler (or, when no scaler expresses them, folded into the first layer's weights).
import { FormatError, check } from '../../core/errors.js';
import type { ScalerConfig } from '../../data/scaler.js';

export type InputOp =
  | { kind: 'Sub' | 'Add' | 'Mul' | 'Div'; values: Float64Array; node: string }
  | { kind: 'BatchNormalization'; scale: Float64Array; bias: Float64Array; mean: Float64Array; variance: Float64Array; epsilon: number; node: string };

interface FirstDense {
  weight: Float64Array;
  bias: Float64Array;
  inFeatures: number;
}

/**
 * The scaler equivalent to `ops` on `first.inFeatures` features:
 * - Sub m, Div s (s > 0): StandardScaler(m, s), exactly; BatchNormalization with scale 1 and bias 0
 *   is StandardScaler(mean, √(var + ε));
 * - Sub m, Mul k (k ≥ 0): MinMaxScaler(m, m + 1/k) (backprop's own export of a min-max scaler);
 * - any other chain is one affine map x ↦ a·x + c per feature: a StandardScaler(−c/a, 1/a) when
 *   every a > 0, else folded into the first dense layer (W ← W·diag(a), b ← b + W·c) with no scaler.
 * `saved` (the scaler a backprop export stored in its metadata) replaces the recognised one when its
 * float32 values are the graph's, so a round trip keeps the exact float64 scaler.
 */
export function affineToInput(ops: InputOp[], first: FirstDense, saved: ScalerConfig | null, src: string): ScalerConfig | null {
  if (ops.length === 0) return null;
  const n = first.inFeatures;
  const expand = (v: Float64Array, op: InputOp): Float64Array => {
    check(v.length === n || v.length === 1, FormatError, () => `${src}: ${op.node} has ${v.length} constants for ${n} input features`);
    return v.length === n ? v : new Float64Array(n).fill(v[0]!);
  };
  const kinds = ops.map((o) => o.kind).join(',');
  const [op0, op1] = ops;
  if (kinds === 'Sub,Div' && op0!.kind === 'Sub' && op1!.kind === 'Div') {
    const mean = expand(op0!.values, op0!), scale = expand(op1!.values, op1!);
    if (scale.every((s) => s > 0)) return preferSaved({ type: 'standard', mean: [...mean], scale: [...scale] }, saved);
  }
  if (kinds === 'Sub,Mul' && op0!.kind === 'Sub' && op1!.kind === 'Mul') {
    const min = expand(op0!.values, op0!), inv = expand(op1!.values, op1!);
    if (inv.every((k) => k >= 0)) return preferSaved({ type: 'minmax', min: [...min], max: [...min].map((lo, j) => (inv[j]! > 0 ? lo + 1 / inv[j]! : lo)) }, saved);
  }
  if (kinds === 'BatchNormalization' && op0!.kind === 'BatchNormalization') {
    const gamma = expand(op0!.scale, op0!), beta = expand(op0!.bias, op0!);
    if (gamma.every((g) => g === 1) && beta.every((b) => b === 0)) {
      return { type: 'standard', mean: [...expand(op0!.mean, op0!)], scale: [...expand(op0!.variance, op0!)].map((v) => Math.sqrt(v + op0!.epsilon)) };
    }
  }
  // The general case: compose x ↦ a·x + c in float64.
  const a = new Float64Array(n).fill(1), c = new Float64Array(n);
  for (const op of ops) {
    if (op.kind === 'BatchNormalization') {
      const gamma = expand(op.scale, op), beta = expand(op.bias, op), mean = expand(op.mean, op), variance = expand(op.variance, op);
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
        case 'Sub': c[j]! -= v[j]!; break;
        case 'Add': c[j]! += v[j]!; break;
        case 'Mul': a[j]! *= v[j]!; c[j]! *= v[j]!; break;
        case 'Div': a[j]! /= v[j]!; c[j]! /= v[j]!; break;
      }
    }
  }
  if (a.every((x) => x > 0 && Number.isFinite(x)) && c.every(Number.isFinite)) {
    return { type: 'standard', mean: [...a].map((x, j) => -c[j]! / x), scale: [...a].map((x) => 1 / x) };
  }
  check(a.every(Number.isFinite) && c.every(Number.isFinite), FormatError, () => `${src}: the input arithmetic before the first dense layer divides by zero`);
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

/** `saved` when it is the same scaler as `found` up to float32 rounding (found's values came from float32 tensors). */
function preferSaved(found: ScalerConfig, saved: ScalerConfig | null): ScalerConfig {
  if (saved === null || saved.type !== found.type) return found;
  const same = (x: number[] | undefined, y: number[]): boolean => Array.isArray(x) && x.length === y.length && x.every((v, j) => Math.fround(v) === Math.fround(y[j]!));
  if (found.type === 'standard' && saved.type === 'standard') return same(saved.mean, found.mean) && same(saved.scale, found.scale) ? saved : found;
  if (found.type === 'minmax' && saved.type === 'minmax') {
    // The graph holds min and 1/range; compare those.
    const inv = (lo: number[], hi: number[]): number[] => lo.map((l, j) => (hi[j]! - l > 0 ? 1 / (hi[j]! - l) : 0));
    const foundInv = found.min.map((l, j) => (found.max[j]! > l ? 1 / (found.max[j]! - l) : 0));
    return same(saved.min, found.min) && Array.isArray(saved.max) && same(inv(saved.min, saved.max), foundInv) ? saved : found;
  }
  return found;
}
