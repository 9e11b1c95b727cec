// The tour's training comparisons, each run by the library: batch vs mini-batch gradient descent,
// the two momentum forms on an elongated bowl, training with and without standardisation, and
// whether zero-initialised hidden neurons stay identical.
import {
  createOptimizer,
  type InitName,
  Sequential,
  StandardScaler,
  setWarningHandler,
  Tensor,
} from '../../../../src/index.js';
import { randomBatch } from './forward.js';

/** m points in the plane labelled by a tilted line with a bump (not quite linear), seeded. */
export function twoClasses(m: number, seed: number): { x: Tensor; y: Tensor } {
  const x = randomBatch(m, 2, seed);
  const y = Tensor.from(
    Array.from({ length: m }, (_, i) =>
      x.data[2 * i]! + 0.5 * x.data[2 * i + 1]! + 0.4 * Math.sin(3 * x.data[2 * i + 1]!) > 0 ? 1 : 0,
    ),
    [m, 1],
    'float64',
  );
  return { x, y };
}

function classifier(seed: number, lr: number, init?: InitName): Sequential {
  const model = Sequential.mlp({
    inputs: 2,
    hidden: [6],
    outputs: 1,
    task: 'multilabel',
    activation: 'tanh',
    seed,
    init,
    dtype: 'float64',
  });
  return model.compile({ loss: 'bce', optimizer: { name: 'sgd', lr } });
}

/** The training loss after each of `epochs` epochs of gradient descent with the given batch size. */
export function lossCurve(
  model: Sequential,
  x: Tensor,
  y: Tensor,
  epochs: number,
  batchSize: number | 'all',
  seed: number,
): number[] {
  if (batchSize === 'all') {
    // One step per epoch: each epoch's logged loss is J before its step, so one fit call suffices.
    const { history } = model.fit(x, y, { epochs, batchSize, seed });
    return [...history.map((h) => h.loss), model.computeLoss(x, y)];
  }
  const losses = [model.computeLoss(x, y)];
  for (let e = 0; e < epochs; e++) {
    model.fit(x, y, { epochs: 1, batchSize, seed: seed + e });
    losses.push(model.computeLoss(x, y));
  }
  return losses;
}

/** Batch (all 64 examples per step) against mini-batches of `batchSize`, from the same initial weights. */
export function batchVersusMiniBatch(
  epochs: number,
  batchSize: number,
  lr: number,
  seed: number,
): { batch: number[]; mini: number[] } {
  const { x, y } = twoClasses(64, seed);
  return {
    batch: lossCurve(classifier(seed, lr), x, y, epochs, 'all', seed),
    mini: lossCurve(classifier(seed, lr), x, y, epochs, batchSize, seed),
  };
}

/** The bowl J(w) = ½(w₁² + κ w₂²), elongated along w₁. */
export const BOWL_KAPPA = 20;
export const bowl = (w1: number, w2: number): number => 0.5 * (w1 * w1 + BOWL_KAPPA * w2 * w2);

/** Gradient descent on the bowl with the library's optimiser `name` from (−4, 1.5); the points visited and J. */
export function bowlPath(
  name: 'momentum' | 'sgd',
  beta: number,
  lr: number,
  steps: number,
): { path: [number, number][]; losses: number[] } {
  const value = Tensor.from([-4, 1.5], [2], 'float64');
  const grad = Tensor.zeros([2], 'float64');
  const optimizer = createOptimizer({ name, lr, momentum: beta }, [{ name: 'w', value, grad }]);
  const w = value.data,
    path: [number, number][] = [[w[0]!, w[1]!]],
    losses = [bowl(w[0]!, w[1]!)];
  for (let t = 0; t < steps; t++) {
    grad.data[0] = w[0]!;
    grad.data[1] = BOWL_KAPPA * w[1]!;
    optimizer.step();
    path.push([w[0]!, w[1]!]);
    losses.push(bowl(w[0]!, w[1]!));
  }
  return { path, losses };
}

/** A separable problem whose second feature is x₂·scale + offset; trained with and without StandardScaler. */
export function scalingCurves(
  scale: number,
  offset: number,
  epochs: number,
  seed: number,
): { raw: number[]; standardised: number[] } {
  const { x, y } = twoClasses(64, seed);
  const scaled = x.clone();
  for (let i = 0; i < 64; i++) scaled.data[2 * i + 1] = scaled.data[2 * i + 1]! * scale + offset;
  const raw = classifier(seed, 0.3);
  const standardised = classifier(seed, 0.3);
  standardised.scaler = StandardScaler.fit(scaled);
  return {
    raw: lossCurve(raw, scaled, y, epochs, 'all', seed),
    standardised: lossCurve(standardised, scaled, y, epochs, 'all', seed),
  };
}

/** The hidden layer's weight rows after `steps` epochs of training from `init`, and whether they are all equal. */
export function hiddenAfterTraining(
  init: InitName,
  steps: number,
  seed: number,
): { rows: number[][]; identical: boolean; loss: number; warning: string | null } {
  const { x, y } = twoClasses(64, seed);
  // The library warns about zero initialisation: shown beside the result instead of the console.
  let warning: string | null = null;
  const previous = setWarningHandler((message) => (warning = message));
  const model = Sequential.mlp({
    inputs: 2,
    hidden: [3],
    outputs: 1,
    task: 'multilabel',
    activation: 'sigmoid',
    seed,
    init,
    dtype: 'float64',
  });
  setWarningHandler(previous);
  model.compile({ loss: 'bce', optimizer: { name: 'sgd', lr: 1 } });
  const losses = lossCurve(model, x, y, steps, 'all', seed);
  const hidden = model.network.denseLayers()[0]!;
  const rows = Array.from({ length: hidden.outFeatures }, (_, u) => [
    ...Array.from(hidden.weight.data.slice(u * 2, u * 2 + 2)),
    hidden.bias.data[u]!,
  ]);
  const identical = rows.every((r) => r.every((v, j) => v === rows[0]![j]));
  return { rows, identical, loss: losses[losses.length - 1]!, warning };
}
