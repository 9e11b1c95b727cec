// Sequential.predict: batches copied into the backend's memory give the same outputs as one pass of
// the reference backend over the whole input, the scaler is applied, non-finite inputs are named by
// row and column, and dispose gives the batch buffer back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/random.js';
import {
  type Backend,
  ConfigError,
  createWasmBackend,
  DataError,
  referenceBackend,
  Sequential,
  StandardScaler,
  Tensor,
  type WasmBackend,
} from '../../src/index.js';
import { expectAllClose } from '../helpers/allclose.js';

function randomInput(rows: number, features: number, seed: number): Tensor {
  const rng = new Rng(seed);
  const x = new Float32Array(rows * features);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniformRange(-3, 3);
  return new Tensor(x, [rows, features]);
}

/** A 5-8-3 classifier on `backend` with the reference model's weights. */
function classifier(backend: Backend): Sequential {
  return Sequential.mlp({ inputs: 5, hidden: [8], outputs: 3, task: 'classification', seed: 7, backend });
}

describe('Sequential.predict', () => {
  let wasm: WasmBackend;
  beforeAll(async () => {
    wasm = await createWasmBackend({ threads: 1 });
  });
  afterAll(() => wasm.dispose());

  it('in batches of 3 on wasm equals one reference pass over all 11 rows, float64 input cast on the way', () => {
    const x = randomInput(11, 5, 1);
    const expected = classifier(referenceBackend).network.forward(x, { training: false }).data.slice();
    const model = classifier(wasm);
    const x64 = new Tensor(Float64Array.from(x.data), [11, 5]);
    for (const input of [x, x64]) {
      const p = model.predict(input, { batchSize: 3 });
      expect(p.shape).toEqual([11, 3]);
      expectAllClose(p.data, expected, 1e-5, 1e-6);
    }
    model.dispose();
  });

  it('applies the scaler to each batch, leaving the caller input unchanged', () => {
    const x = randomInput(7, 5, 2);
    const scaler = StandardScaler.fit(x);
    const expected = classifier(referenceBackend)
      .network.forward(scaler.transform(x), { training: false })
      .data.slice();
    const before = x.data.slice();
    for (const backend of [referenceBackend, wasm]) {
      const model = classifier(backend);
      model.scaler = scaler;
      expectAllClose(model.predict(x, { batchSize: 4 }).data, expected, 1e-5, 1e-6);
      expect(x.data).toEqual(before);
      model.dispose();
    }
  });

  it.each([
    [NaN, 9, 1, /^predict: input: NaN at row 9, column 1; the data must be finite numbers$/],
    [Infinity, 0, 0, /^predict: input: Infinity at row 0, column 0;/],
    [-Infinity, 10, 4, /^predict: input: -Infinity at row 10, column 4;/],
  ])('names a non-finite input (%s) by its row and column, in any batch', (value, row, column, pattern) => {
    const x = randomInput(11, 5, 3);
    x.data[row * 5 + column] = value;
    for (const backend of [referenceBackend, wasm]) {
      const model = classifier(backend);
      expect(() => model.predict(x, { batchSize: 4 })).toThrow(DataError);
      expect(() => model.predict(x, { batchSize: 4 })).toThrow(pattern);
      model.dispose();
    }
  });

  it('rejects a batch size that is not a positive integer', () => {
    const model = classifier(referenceBackend);
    for (const batchSize of [0, -1, 2.5, NaN]) {
      expect(() => model.predict(randomInput(2, 5, 4), { batchSize })).toThrow(ConfigError);
      expect(() => model.predict(randomInput(2, 5, 4), { batchSize })).toThrow(
        new RegExp(`predict: batchSize must be a positive integer, got ${batchSize}`),
      );
    }
  });

  it('returns [0, outputs] for no rows', () => {
    const model = classifier(wasm);
    expect(model.predict(new Tensor(new Float32Array(0), [0, 5])).shape).toEqual([0, 3]);
    model.dispose();
  });

  it('gives its batch buffer back to the backend on dispose', () => {
    const before = wasm.bytesInUse;
    const model = classifier(wasm);
    model.predict(randomInput(50, 5, 5), { batchSize: 20 });
    expect(wasm.bytesInUse).toBeGreaterThan(before);
    model.dispose();
    expect(wasm.bytesInUse).toBe(before);
  });
});
