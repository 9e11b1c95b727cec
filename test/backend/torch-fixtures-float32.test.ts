// PyTorch's forward values, gradients and optimiser steps (test/fixtures/*.json) reproduced in float32
// on every backend: the reference backend and the WASM backend on one and two threads. The float64
// comparisons on the reference backend live in test/nn/torch-reference.test.ts and
// test/optim/torch-optimizers.test.ts; here the tolerance is float32's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Backend,
  createWasmBackend,
  type LossName,
  referenceBackend,
  Tensor,
  type WasmBackend,
  wasmSupport,
} from '../../src/index.js';
import { expectAllClose, flat } from '../helpers/allclose.js';
import {
  forwardFixture as forward,
  modelFromLayers,
  optimizerFixture as optimizers,
} from '../helpers/torch-fixtures.js';

const support = await wasmSupport();
const BACKENDS: { name: string; threads: number }[] = [
  { name: 'reference', threads: 1 },
  { name: 'wasm', threads: 1 },
  ...(support.threads ? [{ name: 'wasm', threads: 2 }] : []),
];

/** float32 keeps ~7 digits; a few layers of products and exponentials lose one or two. */
const RTOL = 2e-4;
const ATOL = 2e-5;

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
      const model = modelFromLayers(c.layers, [...c.hidden_activations, c.output_activation], 'float32', backend);
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
      const model = modelFromLayers(optimizers.initial, ['tanh', 'linear'], 'float32', backend);
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
