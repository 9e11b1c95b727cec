// The PyTorch fixtures (test/fixtures/forward_backward.json, optimizers.json) and a model that holds
// a fixture's weights exactly: shared by the float64 comparisons and the float32 ones on every backend.
import { readFileSync } from 'node:fs';
import {
  type ActivationName,
  type Backend,
  Dense,
  type DType,
  type OptimizerName,
  referenceBackend,
  Sequential,
} from '../../src/index.js';
import { flat } from './allclose.js';

/** One Linear layer's weight [out][in] and bias, as PyTorch stores them. */
export interface LayerValues {
  weight: number[][];
  bias: number[];
}

/** A network, its input and target, and PyTorch's output, loss and gradients for them. */
export interface ForwardCase {
  name: string;
  hidden_activations: string[];
  output_activation: string;
  loss: string;
  x: number[][];
  y: number[][];
  layers: LayerValues[];
  output: number[][];
  loss_value: number;
  grads: LayerValues[];
  input_grad: number[][];
}

/** One optimiser's first steps from shared initial weights: PyTorch's loss before each step and the weights after it. */
export interface OptimizerCase {
  name: string;
  optimizer: OptimizerName;
  options: Record<string, number>;
  losses: number[];
  steps: LayerValues[][];
}

function fixture<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')) as T;
}

export const forwardFixture = fixture<{ cases: ForwardCase[] }>('forward_backward.json');

export const optimizerFixture = fixture<{
  x: number[][];
  y: number[][];
  initial: LayerValues[];
  cases: OptimizerCase[];
}>('optimizers.json');

/** A model of Dense layers holding exactly `layers`' weights, layer i with activation `activations[i]`. */
export function modelFromLayers(
  layers: LayerValues[],
  activations: readonly string[],
  dtype: DType,
  backend: Backend = referenceBackend,
): Sequential {
  const context = { dtype, backend };
  const dense = layers.map(
    (l, i) =>
      new Dense(l.weight[0]!.length, l.weight.length, {
        activation: activations[i] as ActivationName,
        context,
        weights: { weight: flat(l.weight), bias: l.bias },
      }),
  );
  return new Sequential(dense, context);
}
