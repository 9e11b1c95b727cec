// The steady-state training step allocates no buffers: after the first epoch (which sizes every
// buffer for the full and the last, smaller batch), an epoch creates no typed array and asks the
// backend for no memory.
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Backend,
  createWasmBackend,
  Rng,
  referenceBackend,
  Sequential,
  Tensor,
  TensorSource,
} from '../../src/index.js';

/** Counts `new Float32Array(…)` and friends while `body` runs (subarray views are not allocations). */
function countTypedArrays(body: () => void): number {
  const names = ['Float32Array', 'Float64Array', 'Uint32Array', 'Uint8Array'] as const;
  const g = globalThis as unknown as Record<string, unknown>;
  const originals = names.map((n) => g[n]);
  let count = 0;
  names.forEach((n, i) => {
    g[n] = new Proxy(originals[i] as object, {
      construct(target, args, newTarget) {
        count++;
        return Reflect.construct(target as new (...a: unknown[]) => object, args, newTarget);
      },
    });
  });
  try {
    body();
  } finally {
    names.forEach((n, i) => (g[n] = originals[i]));
  }
  return count;
}

/** Bytes the backend holds (the wasm backend's heap, packing buffers included); 0 for the reference. */
function bytesInUse(backend: Backend): number {
  return (backend as { bytesInUse?: number }).bytesInUse ?? 0;
}

function counting(backend: Backend): { backend: Backend; calls: () => number } {
  let calls = 0;
  const wrapped = new Proxy(backend, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (key === 'allocFloat32')
        return (n: number) => (calls++, (value as (n: number) => Float32Array).call(target, n));
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { backend: wrapped, calls: () => calls };
}

describe('no allocation in the steady-state training step', () => {
  const disposers: (() => void)[] = [];
  afterAll(() => disposers.forEach((d) => d()));

  const check = (raw: Backend, inputs = 20, hidden = [32, 16]): void => {
    const { backend, calls } = counting(raw);
    const rng = new Rng(1);
    const x = Tensor.from(
      Array.from({ length: 300 * inputs }, () => rng.normal()),
      [300, inputs],
    );
    const y = Tensor.zeros([300, 4]);
    for (let r = 0; r < 300; r++) y.data[r * 4 + (r % 4)] = 1;
    const model = Sequential.mlp({
      inputs,
      hidden,
      outputs: 4,
      task: 'classification',
      dropout: 0.1,
      seed: 1,
      backend,
    });
    model.compile({ loss: 'cce', optimizer: { name: 'adam', lr: 1e-3 } });
    const source = new TensorSource(x, y);
    model.fit(source, null, { epochs: 1, batchSize: 64, seed: 1 }); // warm-up: 4 full batches and one of 44
    const before = calls();
    const bytesBefore = bytesInUse(raw);
    const created = countTypedArrays(() => {
      model.fit(source, null, { epochs: 1, batchSize: 64, seed: 2 });
    });
    expect(calls() - before).toBe(0);
    expect(bytesInUse(raw)).toBe(bytesBefore);
    // fit itself creates its index arrays and one weight snapshot per parameter once per call;
    // the 5 steps of the epoch must add nothing to that.
    const perCall = countTypedArrays(() => {
      model.fit(source, null, { epochs: 3, batchSize: 64, seed: 3 });
    });
    expect(perCall).toBe(created);
  };

  it('reference backend', () => check(referenceBackend));

  it('wasm backend', async () => {
    const wasm = await createWasmBackend({ threads: 2 });
    disposers.push(() => wasm.dispose());
    check(wasm);
  });

  it('wasm backend, layers large enough for products and Adam steps shared between threads', async () => {
    const wasm = await createWasmBackend({ threads: 2 });
    disposers.push(() => wasm.dispose());
    // 64×256×300 products and 76 800-weight Adam steps go to the thread pool, which packs operands
    // into a buffer of its own: that buffer too must be sized once, in the first epoch.
    check(wasm, 300, [256, 64]);
  });
});
