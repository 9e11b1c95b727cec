// PyTorch's forward values, gradients and optimiser steps (test/fixtures/*.json) reproduced in float32
// on every backend: the reference backend and the WASM backend on one and two threads. The float64
// comparisons on the reference backend live in test/nn/torch-reference.test.ts and
// test/optim/torch-optimizers.test.ts; here the tolerance is float32's.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ActivationName,
  type Backend,
  createWasmBackend,
  Dense,
  type LossName,
  type OptimizerName,
  referenceBackend,
  Sequential,
  Tensor,
  type WasmBackend,
  wasmSupport,
} from '../../src/index.js';
import { expectAllClose, flat } from '../helpers/allclose.js';

interface LayerValues {
  weight: number[][];
  bias: number[];
}
interface ForwardCase {
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
}
const forward = JSON.parse(readFileSync(new URL('../fixtures/forward_backward.json', import.meta.url), 'utf8')) as {
  cases: ForwardCase[];
};
const optimizers = JSON.parse(readFileSync(new URL('../fixtures/optimizers.json', import.meta.url), 'utf8')) as {
  x: number[][];
  y: number[][];
  initial: LayerValues[];
  cases: {
    name: string;
    optimizer: OptimizerName;
    options: Record<string, number>;
    losses: number[];
    steps: LayerValues[][];
  }[];
};

const support = await wasmSupport();
const BACKENDS: { name: string; threads: number }[] = [
  { name: 'reference', threads: 1 },
  { name: 'wasm', threads: 1 },
  ...(support.threads ? [{ name: 'wasm', threads: 2 }] : []),
];

/** float32 keeps ~7 digits; a few layers of products and exponentials lose one or two. */
const RTOL = 2e-4;
const ATOL = 2e-5;

function model32(layers: LayerValues[], activations: string[], backend: Backend): Sequential {
  const context = { dtype: 'float32' as const, backend };
  const dense = layers.map(
    (l, i) =>
      new Dense(l.weight[0]!.length, l.weight.length, {
        activation: activations[i] as ActivationName,
        context,
        weights: { weight: flat(l.weight), bias: l.bias },
      }),
  );
  return new Sequential(dense, { backend });
}

describe.each(BACKENDS)('PyTorch fixtures in float32 on the $name backend, $threads thread(s)', ({ name, threads }) => {
  let backend: Backend = referenceBackend;
  let wasm: WasmBackend | null = null;
  beforeAll(async () => {
    if (name === 'wasm') {
      wasm = await createWasmBackend({ threads });
      backend = wasm;
    }
  });
  afterAll(() => wasm?.dispose());

  it('forward values, losses and gradients of every case', () => {
    expect(forward.cases.length).toBe(27);
    for (const c of forward.cases) {
      const model = model32(c.layers, [...c.hidden_activations, c.output_activation], backend);
      model.compile({ loss: c.loss as LossName });
      const x = Tensor.from(c.x);
      const y = Tensor.from(c.y);
      expectAllClose(model.predict(x).data, flat(c.output), RTOL, ATOL, `${c.name}: output`);
      expect(Math.abs(model.computeLoss(x, y) - c.loss_value)).toBeLessThanOrEqual(
        ATOL + RTOL * Math.abs(c.loss_value),
      );
      model.computeGradients(x, y);
      model.parameters().forEach((p, k) => {
        const g = c.grads[k >> 1]!;
        expectAllClose(p.grad.data, k % 2 === 0 ? flat(g.weight) : g.bias, RTOL, ATOL, `${c.name}: ${p.name} gradient`);
      });
    }
  });

  it('one to three steps of every optimiser', () => {
    const x = Tensor.from(optimizers.x);
    const y = Tensor.from(optimizers.y);
    for (const c of optimizers.cases) {
      const model = model32(optimizers.initial, ['tanh', 'linear'], backend);
      model.compile({ loss: 'mse', optimizer: { name: c.optimizer, ...c.options } });
      c.steps.forEach((expected, step) => {
        const loss = model.trainStep(x, y);
        expect(Math.abs(loss - c.losses[step]!), `${c.name} loss at step ${step + 1}`).toBeLessThanOrEqual(
          ATOL + RTOL * Math.abs(c.losses[step]!),
        );
        model.parameters().forEach((p, k) => {
          const e = expected[k >> 1]!;
          expectAllClose(
            p.value.data,
            k % 2 === 0 ? flat(e.weight) : e.bias,
            RTOL,
            ATOL,
            `${c.name}: ${p.name} after step ${step + 1}`,
          );
        });
      });
    }
  });
});
