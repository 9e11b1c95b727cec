// The tour's forward-pass computations, done by the library in float64: one neuron, a 2-3-1
// network's matrices in the notes' orientation (examples as columns), and a loss with its derivative.
import {
  type ActivationName,
  Dense,
  type LossName,
  lossGradient,
  lossValue,
  Rng,
  referenceBackend,
  Sequential,
  Tensor,
} from '../../../../src/index.js';

export const F64 = { dtype: 'float64', backend: referenceBackend } as const;

/** A seeded batch of m examples with n features, N(0, 1). */
export function randomBatch(m: number, n: number, seed: number): Tensor {
  const rng = new Rng(seed);
  return Tensor.from(
    Array.from({ length: m * n }, () => rng.normal()),
    [m, n],
    'float64',
  );
}

/** One neuron a = g(w·x + b) evaluated at the given points [m, 2]; returns z and a per point. */
export function neuron(
  w: [number, number],
  b: number,
  activation: ActivationName,
  points: Tensor,
): { z: number[]; a: number[] } {
  const layer = new Dense(2, 1, { activation, weights: { weight: w, bias: [b] }, context: F64 });
  const a = layer.forward(points, { training: true });
  return { z: Array.from(layer.lastPreActivation()!.data), a: Array.from(a.data) };
}

/** size×size points on [−2, 2]², top row first (y = 2), as a batch [size², 2]. */
export function gridPoints(size: number): Tensor {
  const data: number[] = [];
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) data.push(-2 + (4 * c) / (size - 1), 2 - (4 * r) / (size - 1));
  return Tensor.from(data, [size * size, 2], 'float64');
}

/** A matrix in the notes' orientation: rows × cols, values row by row. */
export interface NamedMatrix {
  name: string;
  rows: number;
  cols: number;
  values: number[][];
}

/** Row-major [m, n] (the library's batch) read as the notes' n × m matrix. */
function columns(t: Tensor, name: string): NamedMatrix {
  const [m, n] = t.shape as [number, number];
  return {
    name,
    rows: n,
    cols: m,
    values: Array.from({ length: n }, (_, j) => Array.from({ length: m }, (_, i) => t.data[i * n + j]!)),
  };
}

function matrix(t: Tensor, name: string): NamedMatrix {
  const [r, c] = t.rank === 2 ? (t.shape as [number, number]) : [t.shape[0]!, 1];
  return {
    name,
    rows: r,
    cols: c,
    values: Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => t.data[i * c + j]!)),
  };
}

/** The tour's 2-3-1 network in float64: a tanh hidden layer and a sigmoid output. */
export function tanhNetwork(seed: number): Sequential {
  return Sequential.mlp({
    inputs: 2,
    hidden: [3],
    outputs: 1,
    task: 'multilabel',
    activation: 'tanh',
    seed,
    dtype: 'float64',
  });
}

/** m examples through a 2-3-1 network (tanh, sigmoid): every W, b, A and Z with its shape. */
export function forwardShapes(m: number, seed: number): NamedMatrix[] {
  const model = tanhNetwork(seed);
  let a = randomBatch(m, 2, seed + 1);
  const out: NamedMatrix[] = [columns(a, 'A^[0] = X')];
  model.network.denseLayers().forEach((layer, i) => {
    const l = i + 1;
    out.push(matrix(layer.weight, `W^[${l}]`), matrix(layer.bias, `b^[${l}]`));
    a = layer.forward(a, { training: true });
    out.push(columns(layer.lastPreActivation()!, `Z^[${l}]`), columns(a, `A^[${l}]`));
  });
  return out;
}

export type TourLoss = 'binary_crossentropy' | 'categorical_crossentropy' | 'mse' | 'mae';

/**
 * The loss of one prediction ŷ against y and dJ/dŷ, by lossValue and lossGradient. For the
 * categorical cross-entropy, ŷ and y are the first of two classes (the second is 1 − ŷ, 1 − y).
 */
export function lossAt(name: TourLoss, yHat: number, y: number): { loss: number; derivative: number } {
  const two = name === 'categorical_crossentropy';
  const output = Tensor.from(two ? [[yHat, 1 - yHat]] : [[yHat]], undefined, 'float64');
  const target = Tensor.from(two ? [[y, 1 - y]] : [[y]], undefined, 'float64');
  const input = { output, target, activation: null, logits: null };
  const g = new Float64Array(output.data.length);
  lossGradient(name as LossName, input, g);
  return { loss: lossValue(name as LossName, input), derivative: g[0]! };
}
