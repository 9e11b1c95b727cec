// The Δ recursion written out on one example, next to the library's own gradients:
// δ^[L] = a^[L] − y (sigmoid + cross-entropy), δ^[l] = (W^[l+1]ᵀ δ^[l+1]) ⊙ g′(z^[l]), dW^[l] = δ^[l] a^[l−1]ᵀ.
import { type ActivationName, Sequential, Tensor } from '../../../../src/index.js';

export interface DeltaStep {
  layer: number;
  z: number[];
  delta: number[];
  /** dW^[l] = δ^[l] a^[l−1]ᵀ from the recursion, rows = neurons. */
  weightGrad: number[][];
  /** The same entries from Sequential.computeGradients. */
  libraryGrad: number[][];
}

/** g′(z) from z (and a = g(z)), as the notes tabulate it. */
export function derivative(activation: ActivationName, z: number, a: number): number {
  switch (activation) {
    case 'sigmoid':
      return a * (1 - a);
    case 'tanh':
      return 1 - a * a;
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'linear':
      return 1;
    default:
      throw new Error(`the tour's recursion covers sigmoid, tanh, relu and linear, not ${activation}`);
  }
}

/** A 2-3-2-1 network (hidden `activation`, sigmoid output, BCE) on one example; the steps from L down to 1. */
export function deltaRecursion(
  activation: ActivationName,
  seed: number,
  x: [number, number] = [0.8, -0.4],
  y = 1,
): DeltaStep[] {
  const model = Sequential.mlp({
    inputs: 2,
    hidden: [3, 2],
    outputs: 1,
    task: 'multilabel',
    activation,
    seed,
    dtype: 'float64',
  });
  const xs = Tensor.from([x], undefined, 'float64'),
    ys = Tensor.from([[y]], undefined, 'float64');
  const dense = model.network.denseLayers();
  const as: number[][] = [[...x]],
    zs: number[][] = [];
  let a = xs;
  for (const layer of dense) {
    a = layer.forward(a, { training: true });
    zs.push(Array.from(layer.lastPreActivation()!.data));
    as.push(Array.from(a.data));
  }
  model.computeGradients(xs, ys);
  const L = dense.length;
  const deltas: number[][] = new Array(L);
  deltas[L - 1] = as[L]!.map((v) => v - y);
  for (let l = L - 2; l >= 0; l--) {
    const W = dense[l + 1]!.weight.data,
      next = deltas[l + 1]!,
      n = dense[l]!.outFeatures;
    deltas[l] = Array.from({ length: n }, (_, j) => {
      let s = 0;
      next.forEach((d, u) => (s += W[u * n + j]! * d));
      return s * derivative(dense[l]!.activation, zs[l]![j]!, as[l + 1]![j]!);
    });
  }
  return dense
    .map((layer, l) => ({
      layer: l + 1,
      z: zs[l]!,
      delta: deltas[l]!,
      weightGrad: deltas[l]!.map((d) => as[l]!.map((v) => d * v)),
      libraryGrad: deltas[l]!.map((_, u) =>
        Array.from(layer.weightGrad.data.slice(u * layer.inFeatures, (u + 1) * layer.inFeatures)),
      ),
    }))
    .reverse();
}

/** Largest |recursion − library| over every entry of the steps' weight gradients. */
export function largestDifference(steps: readonly DeltaStep[]): number {
  let worst = 0;
  for (const s of steps)
    s.weightGrad.forEach((row, u) =>
      row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - s.libraryGrad[u]![j]!)))),
    );
  return worst;
}
