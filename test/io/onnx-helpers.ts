// Test helpers: ONNX Runtime (onnxruntime-web's WebAssembly build, in Node) and models for every
// activation, task and scaler.
import * as ort from 'onnxruntime-web';
import {
  type ActivationName,
  MinMaxScaler,
  Rng,
  Sequential,
  StandardScaler,
  type Task,
  Tensor,
} from '../../src/index.js';
import { expectAllClose } from '../helpers/allclose.js';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

/** Runs an ONNX model on x [m, features] and returns its first output. */
export async function runOnnx(
  bytes: Uint8Array,
  x: Tensor | { data: Float32Array; shape: number[] },
): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(x.data), [...x.shape]) };
    const result = await session.run(feeds);
    return result[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

export const HIDDEN_ACTIVATIONS: ActivationName[] = ['relu', 'leaky_relu', 'sigmoid', 'tanh', 'linear'];
export const TASKS_UNDER_TEST: Task[] = ['classification', 'multilabel', 'regression'];
export type ScalerKind = 'none' | 'standard' | 'minmax';
export const SCALERS: ScalerKind[] = ['none', 'standard', 'minmax'];

/**
 * Predictions of another engine agree with backprop's within |a − b| ≤ RTOL·|b| + ATOL: float32
 * arithmetic in a different order. The absolute part covers probabilities near 0 (a sigmoid of −20
 * is 2e-9, and a last-bit change of its logit is a large relative change of it).
 */
export const RTOL = 1e-5;
export const ATOL = 1e-6;

/**
 * Asserts that another engine's outputs match backprop's: |a − b| ≤ RTOL·|b| + max(ATOL, RTOL·max|b|).
 * The floor relative to the largest output covers values that are small differences of large
 * terms (a regression output of −0.0055 summed from hidden units near 30 carries float32 rounding of
 * those terms, about 3e-6, whichever engine sums them).
 */
export function expectSamePredictions(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  what = 'predictions',
): void {
  let largest = 0;
  for (let i = 0; i < expected.length; i++) largest = Math.max(largest, Math.abs(expected[i]!));
  expectAllClose(actual, expected, RTOL, Math.max(ATOL, RTOL * largest), what);
}

export const FEATURES = 5;
export const OUTPUTS = 3;

/** Features with means far from 0 and unequal spreads (so a scaler matters); one constant column. */
export function features(m: number, seed: number): Tensor {
  const rng = new Rng(seed);
  const x = new Float32Array(m * FEATURES);
  const centre = [10, -3, 0.5, 40, 7],
    spread = [3, 0.2, 1, 15, 0];
  for (let i = 0; i < m; i++)
    for (let j = 0; j < FEATURES; j++) x[i * FEATURES + j] = centre[j]! + spread[j]! * (rng.uniform() * 2 - 1);
  return new Tensor(x, [m, FEATURES]);
}

/** A 5 → 7 → 6 → 3 MLP with the given hidden activation, task and scaler, names and labels set. */
export function testModel(activation: ActivationName, task: Task, scaler: ScalerKind, seed = 1): Sequential {
  const model = Sequential.mlp({ inputs: FEATURES, hidden: [7, 6], outputs: OUTPUTS, task, activation, seed });
  const x = features(64, seed + 100);
  model.scaler = scaler === 'standard' ? StandardScaler.fit(x) : scaler === 'minmax' ? MinMaxScaler.fit(x) : null;
  model.featureNames = ['f0', 'f1', 'f2', 'f3', 'f4'];
  if (task === 'classification') {
    model.labels = ['cat', 'dog', 7];
    model.targetNames = ['animal'];
  } else if (task === 'multilabel') {
    model.labels = ['red', 'green', 'blue'];
    model.targetNames = ['red', 'green', 'blue'];
  } else {
    model.targetNames = ['t0', 't1', 't2'];
  }
  return model;
}

/** Largest |a − b| / |b| over all elements, and the largest |a − b|. */
export function differences(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
): { relative: number; absolute: number } {
  let relative = 0,
    absolute = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    absolute = Math.max(absolute, d);
    relative = Math.max(relative, d === 0 ? 0 : d / Math.abs(expected[i]!));
  }
  return { relative, absolute };
}
