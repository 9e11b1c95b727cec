// The blas backend (the system's BLAS for products, the WASM kernels for the rest) agrees with the
// reference backend on every product shape, odd sizes, 1 and 0 included, for 1 and 2 threads, and
// trains like the wasm backend. Skipped, with the reason, where koffi or a BLAS library cannot load.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BlasBackend, createBlasBackend, loadBlas } from '../../src/backend/blas/index.js';
import { createBackend } from '../../src/backend/create-backend.js';
import { referenceBackend } from '../../src/backend/reference/reference.js';
import { createWasmBackend } from '../../src/backend/wasm/index.js';
import { selectBackend } from '../../src/cli/backend.js';
import { type Backend, Rng, Sequential, Tensor, TensorSource } from '../../src/index.js';
import { expectAllClose } from '../helpers/allclose.js';
import {
  expectFloat64GemmIsReference,
  expectGemmAsReference,
  expectGemmAsReferenceOnAllSizes,
  gemmAtol,
  inside,
  random,
  TRANSPOSES,
} from '../helpers/backend-cases.js';

/** Why the blas backend cannot run here, or null when it can. */
const unavailable = await loadBlas().then(
  () => null,
  (e: Error) => e.message,
);

const loadedLibrary = unavailable === null ? await loadBlas() : null;

describe.each([1, 2])('blas backend, %s thread(s)', (threads) => {
  let blas: BlasBackend;
  beforeAll(async () => {
    if (unavailable === null) blas = await createBlasBackend({ threads });
  });
  afterAll(() => blas?.dispose());

  it('reports its name, library and thread count, and sets the library to that many threads for large products, one for small ones', (ctx) => {
    if (unavailable !== null) return ctx.skip(unavailable);
    expect(blas.name).toBe('blas');
    expect(blas.blasThreads).toBe(threads);
    expect(blas.threads).toBe(1); // the WASM kernels run on the calling thread
    expect(blas.library).toMatch(/blas/i);
    // Libraries without a thread setting (reference BLAS, Accelerate) report null.
    const libraryThreads = (): number | null => loadedLibrary?.getThreads?.() ?? null;
    const a = blas.allocFloat32(128 * 128),
      c = blas.allocFloat32(128 * 128);
    // 128³ multiply-adds (2^21) is the smallest product that runs on every thread.
    blas.gemm(a, a, c, { m: 128, n: 128, k: 128 });
    if (libraryThreads() !== null) expect(libraryThreads()).toBe(threads);
    blas.gemm(a, a, c, { m: 127, n: 128, k: 128 });
    if (libraryThreads() !== null) expect(libraryThreads()).toBe(1);
    blas.gemm(a, a, c, { m: 128, n: 128, k: 128 });
    if (libraryThreads() !== null) expect(libraryThreads()).toBe(threads);
  });

  it.for(TRANSPOSES)(
    'gemm matches the reference for all sizes in {0..130}³, transA %s transB %s, overwrite and accumulate',
    ([transA, transB], ctx) => {
      if (unavailable !== null) return ctx.skip(unavailable);
      expectGemmAsReferenceOnAllSizes(blas, new Rng(21), transA, transB);
    },
  );

  it('gemm on the training shapes (784-256-128-10, batch 128) in every transpose; overwriting ignores NaN in C', (ctx) => {
    if (unavailable !== null) return ctx.skip(unavailable);
    const rng = new Rng(22);
    for (const [m, n, k] of [
      [128, 256, 784],
      [256, 784, 128],
      [128, 10, 128],
    ] as const) {
      for (const [transA, transB] of TRANSPOSES) {
        const a = random(rng, m * k),
          b = random(rng, k * n),
          c0 = random(rng, m * n);
        for (const accumulate of [false, true])
          expectGemmAsReference(blas, a, b, c0, { m, n, k, transA, transB, accumulate, poisonC: true });
      }
    }
  });

  it('gemm works in place on arrays outside its memory too; float64 goes to the reference', (ctx) => {
    if (unavailable !== null) return ctx.skip(unavailable);
    const rng = new Rng(23);
    const [m, n, k] = [9, 13, 21];
    const a = random(rng, k * m),
      b = random(rng, k * n),
      c = random(rng, m * n);
    const expected = Float32Array.from(c);
    referenceBackend.gemm(a, b, expected, { m, n, k, transA: true, accumulate: true });
    // A subarray checks that the view's own offset is what the library receives.
    const padded = new Float32Array(b.length + 5);
    padded.set(b, 5);
    blas.gemm(inside(blas, a), padded.subarray(5), c, { m, n, k, transA: true, accumulate: true });
    expectAllClose(c, expected, 0, gemmAtol(k), 'gemm outside the memory');
    expectFloat64GemmIsReference(blas, a, b, m, n, k);
  });

  it('gemm rejects arrays shorter than their dimensions (native code would run past their end)', (ctx) => {
    if (unavailable !== null) return ctx.skip(unavailable);
    const x = blas.allocFloat32(12),
      short = blas.allocFloat32(11);
    expect(() => blas.gemm(x, x, short, { m: 3, n: 4, k: 3 })).toThrow(
      /blas gemm: a 3×4×3 product needs A ≥ 9, B ≥ 12, C ≥ 12 floats, got 12, 12, 11/,
    );
    expect(() => blas.gemm(short, x, x, { m: 4, n: 3, k: 3 })).toThrow(
      /needs A ≥ 12, B ≥ 9, C ≥ 12 floats, got 11, 12, 12/,
    );
    expect(() => blas.gemm(x, x, x, { m: 2, n: -1, k: 3 })).toThrow(
      /dimensions must be non-negative integers, got m=2, n=-1, k=3/,
    );
  });
});

describe('blas backend training', () => {
  const disposers: (() => void)[] = [];
  afterAll(() => disposers.forEach((d) => d()));

  /** Twenty Adam steps with dropout on a 784-64-32-10 network; returns the weights and the losses. */
  function train(backend: Backend): { weights: Float32Array[]; losses: number[] } {
    const rng = new Rng(5);
    const x = Tensor.from(
      Array.from({ length: 320 * 784 }, () => rng.uniform()),
      [320, 784],
    );
    const y = Tensor.zeros([320, 10]);
    for (let r = 0; r < 320; r++) y.data[r * 10 + (r % 10)] = 1;
    const model = Sequential.mlp({
      inputs: 784,
      hidden: [64, 32],
      outputs: 10,
      task: 'classification',
      dropout: 0.1,
      seed: 3,
      backend,
    });
    model.compile({ loss: 'cce', optimizer: { name: 'adam', lr: 1e-3 } });
    const { history } = model.fit(new TensorSource(x, y), null, { epochs: 2, batchSize: 32, seed: 4 });
    const weights = model.network.parameters().map((p) => Float32Array.from(p.value.data));
    return { weights, losses: history.map((h) => h.loss) };
  }

  it.for([1, 2])(
    "a training run (2 epochs of 10 Adam steps, dropout) gives the wasm backend's weights within float32 rounding, %s thread(s)",
    { timeout: 60_000 },
    async (threads, ctx) => {
      if (unavailable !== null) return ctx.skip(unavailable);
      const blas = await createBlasBackend({ threads });
      const wasm = await createWasmBackend({ threads });
      disposers.push(
        () => blas.dispose(),
        () => wasm.dispose(),
      );
      const expected = train(wasm);
      const actual = train(blas);
      expect(actual.losses[1]).toBeLessThan(actual.losses[0]!);
      expectAllClose(actual.losses, expected.losses, 1e-4, 0, 'losses');
      expect(actual.weights).toHaveLength(expected.weights.length);
      actual.weights.forEach((w, i) => expectAllClose(w, expected.weights[i]!, 1e-3, 1e-5, `parameter ${i}`));
    },
  );
});

describe('createBackend', () => {
  it("'auto' picks blas where it loads, else wasm", async () => {
    const backend = await createBackend('auto', { threads: 1 });
    expect(backend.name).toBe(unavailable === null ? 'blas' : 'wasm');
    if ('dispose' in backend) backend.dispose();
  });

  it("'auto' falls back to wasm without an error when BACKPROP_BLAS names a missing library; 'blas' says why it failed", async () => {
    const saved = process.env.BACKPROP_BLAS;
    process.env.BACKPROP_BLAS = '/nonexistent/libblas-missing.so';
    try {
      const backend = await createBackend('auto', { threads: 1 });
      expect(backend.name).toBe('wasm');
      if ('dispose' in backend) backend.dispose();
      await expect(createBackend('blas')).rejects.toThrow(
        /no BLAS library with cblas_sgemm loaded \(from BACKPROP_BLAS\); tried \/nonexistent\/libblas-missing\.so: |koffi did not load/,
      );
      // The CLI's --backend: auto runs on wasm, an explicit blas fails with the reason and the alternative.
      const auto = await selectBackend('auto');
      expect(auto.name).toBe('wasm');
      auto.dispose();
      await expect(selectBackend('blas')).rejects.toThrow(
        /^--backend blas: .*(libblas-missing\.so|koffi).*; use --backend wasm$/,
      );
    } finally {
      if (saved === undefined) delete process.env.BACKPROP_BLAS;
      else process.env.BACKPROP_BLAS = saved;
    }
  });

  it('names each backend and rejects unknown names and bad thread counts', async () => {
    expect((await createBackend('js')).name).toBe('js');
    const wasm = await createBackend('wasm', { threads: 1 });
    expect(wasm.name).toBe('wasm');
    if ('dispose' in wasm) wasm.dispose();
    await expect(createBackend('gpu' as 'js')).rejects.toThrow(
      /unknown backend 'gpu'; expected one of auto, blas, wasm, js/,
    );
    await expect(createBackend('auto', { threads: 0 })).rejects.toThrow(/threads must be a positive integer, got 0/);
    if (unavailable === null)
      await expect(createBlasBackend({ threads: 1.5 })).rejects.toThrow(
        /blas backend: threads must be a positive integer, got 1.5/,
      );
  });
});
