// One mini-batch through the network, phase by phase, as the notes write it: the forward values
// z = W a + b and a = g(z), the loss, the δ of every layer backwards by the recursion
// δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾) ⊙ g′(z⁽ˡ⁾), the gradients ∂J/∂W = δ A⁽ˡ⁻¹⁾ᵀ and the update.
// Computed in float64 on a copy of the model, so the run itself is untouched.
import {
  type ActivationName,
  type LossName,
  lossGradient,
  lossValue,
  referenceBackend,
  type Sequential,
  type Tensor,
} from '../../src/index.js';

/** One dense layer's part of the walk-through; vectors are of the shown example, matrices [units][inputs]. */
export interface WalkLayer {
  units: number;
  inputs: number;
  activation: ActivationName;
  weight: number[][];
  bias: number[];
  z: number[];
  a: number[];
  /** dJ/dz of the shown example (the batch's 1/m included, as the loss defines it). */
  delta: number[];
  /** ∂J/∂W and ∂J/∂b over the whole batch. */
  weightGrad: number[][];
  biasGrad: number[];
  /** What the optimiser's step changed: W after − W before (filled in by the caller). */
  weightUpdate: number[][];
}

export interface Walkthrough {
  /** Examples in the batch (the m of the shapes S × m). */
  m: number;
  /** The shown example's (standardised) inputs and target. */
  x: number[];
  y: number[];
  loss: LossName;
  lossValue: number;
  /** Whether the output layer's δ is the fused ŷ − y (sigmoid/softmax + cross-entropy). */
  fused: boolean;
  layers: WalkLayer[];
  step: number;
  learningRate: number;
  optimizer: string;
}

const rows = (data: ArrayLike<number>, cols: number): number[][] =>
  Array.from({ length: data.length / cols }, (_, r) => Array.from({ length: cols }, (_, c) => data[r * cols + c]!));
const row = (data: ArrayLike<number>, r: number, cols: number): number[] =>
  Array.from({ length: cols }, (_, c) => data[r * cols + c]!);

/** The forward and backward passes of `model` on the batch x [m, in], y [m, out], in float64. */
export function walkBatch(
  model: Sequential,
  x: Tensor,
  y: Tensor,
): Omit<Walkthrough, 'step' | 'learningRate' | 'optimizer'> {
  const copy = model.withContext({ dtype: 'float64', backend: referenceBackend });
  const dense = copy.network.denseLayers();
  const m = x.shape[0]!;
  const xs = x.astype('float64');
  const ys = y.astype('float64');
  const zs: Float64Array[] = [],
    as: Float64Array[] = [];
  let a = xs;
  for (const layer of dense) {
    const out = layer.forward(a, { training: true });
    zs.push(Float64Array.from(layer.lastPreActivation()!.data));
    as.push(Float64Array.from(out.data));
    a = out;
  }
  const head = dense[dense.length - 1]!;
  const input = { output: a, target: ys, activation: head.activation, logits: head.lastPreActivation() };
  const J = lossValue(model.loss, input);
  const g = new Float64Array(a.data.length);
  const wrt = lossGradient(model.loss, input, g);
  // δ of the output layer: dJ/dz directly (fused), or dJ/da ⊙ g′(z).
  const deltas: Float64Array[] = new Array(dense.length);
  const L = dense.length - 1;
  const gPrime = (l: number, dA: Float64Array): Float64Array => {
    const d = dense[l]!;
    const out = new Float64Array(dA.length);
    referenceBackend.activationBackward(zs[l]!, as[l]!, dA, out, m, d.outFeatures, d.activation, d.slope);
    return out;
  };
  deltas[L] = wrt === 'z' ? g : gPrime(L, g);
  // The recursion: δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾ W⁽ˡ⁺¹⁾) ⊙ g′(z⁽ˡ⁾) on row-major batches (the notes' W ᵀ δ on columns).
  for (let l = L - 1; l >= 0; l--) {
    const next = dense[l + 1]!,
      W = next.weight.data,
      dNext = deltas[l + 1]!;
    const n = dense[l]!.outFeatures,
      k = next.outFeatures;
    const dA = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let u = 0; u < k; u++) s += dNext[i * k + u]! * W[u * n + j]!;
        dA[i * n + j] = s;
      }
    deltas[l] = gPrime(l, dA);
  }
  const layers: WalkLayer[] = dense.map((d, l) => {
    const prev = l === 0 ? xs.data : as[l - 1]!;
    const n = d.outFeatures,
      p = d.inFeatures,
      delta = deltas[l]!;
    const dW = new Float64Array(n * p),
      db = new Float64Array(n);
    for (let i = 0; i < m; i++)
      for (let u = 0; u < n; u++) {
        db[u] = db[u]! + delta[i * n + u]!;
        for (let j = 0; j < p; j++) dW[u * p + j] = dW[u * p + j]! + delta[i * n + u]! * prev[i * p + j]!;
      }
    return {
      units: n,
      inputs: p,
      activation: d.activation,
      weight: rows(d.weight.data, p),
      bias: Array.from(d.bias.data),
      z: row(zs[l]!, 0, n),
      a: row(as[l]!, 0, n),
      delta: row(delta, 0, n),
      weightGrad: rows(dW, p),
      biasGrad: Array.from(db),
      weightUpdate: [],
    };
  });
  return {
    m,
    x: row(xs.data, 0, x.shape[1]!),
    y: row(ys.data, 0, y.shape[1]!),
    loss: model.loss,
    lossValue: J,
    fused: wrt === 'z',
    layers,
  };
}
