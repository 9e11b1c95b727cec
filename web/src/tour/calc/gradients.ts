// Gradients through depth and gradient checking, by the library: a chain of L one-unit identity
// layers (output and input gradient w^L), per-layer gradient norms of a deep network, and the
// central difference's error against back-propagation as ε varies.
import {
  type ActivationName,
  Dense,
  gradCheck,
  type InitName,
  Network,
  Sequential,
  Tensor,
} from '../../../../src/index.js';
import { F64, randomBatch, tanhNetwork } from './forward.js';

/** L identity layers a = w·a (no bias) on x = 1: the output and dJ/dx for J = output, both w^L. */
export function chain(w: number, L: number): { output: number; inputGradient: number } {
  const layers = Array.from(
    { length: L },
    () => new Dense(1, 1, { weights: { weight: [w], bias: [0] }, context: F64 }),
  );
  const net = new Network(layers, F64);
  const out = net.forward(Tensor.from([[1]], undefined, 'float64'), { training: true });
  const dx = net.backward(Tensor.from([[1]], undefined, 'float64'), { inputGradient: true })!;
  return { output: out.data[0]!, inputGradient: dx.data[0]! };
}

/** ‖dJ/dW^[l]‖ for each layer l = 1…depth+1 of a deep MLP (width 16, MSE on random targets). */
export function layerGradientNorms(activation: ActivationName, init: InitName, depth: number, seed: number): number[] {
  const model = Sequential.mlp({
    inputs: 16,
    hidden: Array<number>(depth).fill(16),
    outputs: 1,
    activation,
    init,
    seed,
    dtype: 'float64',
  });
  model.compile({ loss: 'mse', optimizer: 'sgd' });
  model.computeGradients(randomBatch(32, 16, seed + 1), randomBatch(32, 1, seed + 2));
  return model.network.denseLayers().map((d) => Math.hypot(...d.weightGrad.data));
}

/** A small float64 classifier and its data, for gradient checking. */
export function checkProblem(seed: number): { model: Sequential; x: Tensor; y: Tensor } {
  const model = tanhNetwork(seed);
  model.compile({ loss: 'bce', optimizer: 'sgd' });
  const x = randomBatch(8, 2, seed + 1);
  const y = Tensor.from(
    Array.from({ length: 8 }, (_, i) => (x.data[2 * i]! * x.data[2 * i + 1]! > 0 ? 1 : 0)),
    [8, 1],
    'float64',
  );
  return { model, x, y };
}

/** ε = 10^e for e from −12 to −1 in half decades. */
export const EPSILON_EXPONENTS = Array.from({ length: 23 }, (_, i) => -12 + i / 2);

/**
 * For W^[1]₁₁: back-propagation's derivative, and at each ε the central difference
 * (J(θ + ε) − J(θ − ε)) / 2ε and its absolute error.
 */
export function centralDifferenceErrors(
  seed: number,
  exponents: readonly number[] = EPSILON_EXPONENTS,
): { analytic: number; numeric: number[]; errors: number[] } {
  const { model, x, y } = checkProblem(seed);
  model.computeGradients(x, y);
  const p = model.parameters()[0]!;
  const analytic = p.grad.data[0]!;
  const numeric = exponents.map((e) => {
    const eps = 10 ** e,
      saved = p.value.data[0]!;
    p.value.data[0] = saved + eps;
    const plus = model.computeLoss(x, y);
    p.value.data[0] = saved - eps;
    const minus = model.computeLoss(x, y);
    p.value.data[0] = saved;
    return (plus - minus) / (2 * eps);
  });
  return { analytic, numeric, errors: numeric.map((n) => Math.abs(n - analytic)) };
}

/** The library's verdict at step ε. */
export function checkVerdict(seed: number, epsilon: number): { passed: boolean; maxRelativeError: number } {
  const { model, x, y } = checkProblem(seed);
  const report = gradCheck(model, x, y, { epsilon });
  return { passed: report.passed, maxRelativeError: report.maxRelativeError };
}
