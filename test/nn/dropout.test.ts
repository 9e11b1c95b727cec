// The dropout layer: its mask depends on the seed alone (Philox4x32-10 keyed from the generator),
// so the reference and wasm backends and every thread count draw the same masks, bit for bit.
import { describe, expect, it } from 'vitest';
import { referenceBackend } from '../../src/backend/reference/reference.js';
import { createWasmBackend, wasmSupport } from '../../src/backend/wasm/index.js';
import { dropoutDraws, keepThreshold } from '../../src/core/philox.js';
import { Rng } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';
import { Sequential } from '../../src/model/sequential.js';
import { Dropout } from '../../src/nn/dropout.js';

const support = await wasmSupport();

function input(rows: number, cols: number): Tensor {
  const rng = new Rng(3);
  return new Tensor(
    Float32Array.from({ length: rows * cols }, () => rng.uniformRange(-1, 1)),
    [rows, cols],
  );
}

describe('Dropout', () => {
  it('keeps element e when its Philox draw under the two words drawn from the generator is below the threshold', () => {
    const layer = new Dropout(0.4);
    const x = input(7, 9);
    const out = layer.forward(x, { training: true, rng: new Rng(11) });
    const keys = new Rng(11);
    const words = new Uint32Array(63);
    dropoutDraws(keys.nextUint32(), keys.nextUint32(), words);
    const threshold = keepThreshold(0.6),
      scale = Math.fround(1 / 0.6);
    for (let e = 0; e < 63; e++)
      expect(out.data[e]).toBe(Math.fround(x.data[e]! * (words[e]! < threshold ? scale : 0)));
    // Backward multiplies by the same mask.
    const dOut = new Tensor(new Float32Array(63).fill(1), [7, 9]);
    const dx = layer.backward(dOut)!;
    for (let e = 0; e < 63; e++) expect(dx.data[e]).toBe(words[e]! < threshold ? scale : 0);
  });

  it('draws the same masks on the reference and wasm backends, on 1 and 2 threads', async () => {
    const x = input(300, 130); // 39 000 elements: split across threads
    const expected = Array.from(
      new Dropout(0.3)
        .withContext({ dtype: 'float32', backend: referenceBackend })
        .forward(x, { training: true, rng: new Rng(5) }).data,
    );
    for (const threads of support.threads ? [1, 2] : [1]) {
      const wasm = await createWasmBackend({ threads });
      const layer = new Dropout(0.3).withContext({ dtype: 'float32', backend: wasm });
      const xi = new Tensor(wasm.allocFloat32(x.size), x.shape);
      xi.data.set(x.data);
      expect(Array.from(layer.forward(xi, { training: true, rng: new Rng(5) }).data)).toEqual(expected);
      layer.dispose();
      wasm.dispose();
    }
  });

  it('the backends reject a keep threshold outside [0, 2^16], such as a 32-bit one, naming it', async () => {
    const wasm = await createWasmBackend({ threads: 1 });
    const x = new Float32Array(40),
      out = new Float32Array(40),
      mask = new Float32Array(40);
    for (const backend of [referenceBackend, wasm]) {
      for (const threshold of [Math.ceil(0.7 * 2 ** 32), 65537, -1, 0.5])
        expect(() => backend.dropout(x, out, mask, 40, { key0: 1, key1: 2, threshold, scale: 1 / 0.7 })).toThrow(
          `dropout: the keep threshold must be an integer in [0, 65536] (keepThreshold(1 − p)), got ${threshold}`,
        );
      // The ends of the range: nothing kept, everything kept.
      backend.dropout(x.fill(1), out, mask, 40, { key0: 1, key1: 2, threshold: 0, scale: 2 });
      expect(out.every((v) => v === 0)).toBe(true);
      backend.dropout(x, out, mask, 40, { key0: 1, key1: 2, threshold: 65536, scale: 2 });
      expect(out.every((v) => v === 2)).toBe(true);
    }
    wasm.dispose();
  });

  it('is the identity in inference mode and with rate 0', () => {
    const x = input(3, 4);
    expect(new Dropout(0.5).forward(x, { training: false })).toBe(x);
    expect(new Dropout(0).forward(x, { training: true, rng: new Rng(1) })).toBe(x);
    expect(() => new Dropout(0.5).forward(x, { training: true })).toThrow(/needs a seeded rng/);
    expect(() => new Dropout(1)).toThrow(/rate must be in \[0, 1\)/);
  });

  it('a seeded fit with dropout gives bit-identical weights on 1 and 2 wasm threads', async (ctx) => {
    if (!support.threads) ctx.skip('this runtime has no shared-memory threads');
    const rng = new Rng(9);
    const x = new Tensor(
      Float32Array.from({ length: 256 * 64 }, () => rng.uniform()),
      [256, 64],
    );
    const y = new Tensor(
      new Float32Array(256 * 4).map((_, i) => (i % 4 === Math.floor(i / 4) % 4 ? 1 : 0)),
      [256, 4],
    );
    const weights: number[][] = [];
    for (const threads of [1, 2]) {
      const wasm = await createWasmBackend({ threads });
      const model = Sequential.mlp({
        inputs: 64,
        hidden: [256, 128],
        outputs: 4,
        task: 'classification',
        dropout: 0.3,
        seed: 4,
        backend: wasm,
      });
      model.compile({ loss: 'cce', optimizer: { name: 'adam', lr: 1e-3 } });
      model.fit(x, y, { epochs: 2, batchSize: 128, seed: 4 });
      weights.push(model.network.parameters().flatMap((p) => Array.from(p.value.data)));
      model.dispose();
      wasm.dispose();
    }
    expect(weights[1]).toEqual(weights[0]);
  });
});
