// Creates the wasm backend with two threads inside a worker and compares its products, Adam steps,
// byte gathers and dropout (large enough to be split across its Web Workers) with the reference backend.
import { createWasmBackend, referenceBackend, wasmSupport } from '../../../src/index.js';

function random(length: number, seed: number): Float32Array {
  const x = new Float32Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    x[i] = s / 2147483648 - 0.5;
  }
  return x;
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

async function run(): Promise<Record<string, unknown>> {
  const support = await wasmSupport();
  const wasm = await createWasmBackend({ threads: 2 });
  const errors: Record<string, number> = {};
  for (const [m, n, k, transA, transB] of [
    [128, 256, 784, false, true],
    [256, 784, 128, true, false],
    [130, 33, 517, false, false],
  ] as const) {
    const a = random(m * k, 1),
      b = random(k * n, 2);
    const expected = new Float32Array(m * n);
    referenceBackend.gemm(a, b, expected, { m, n, k, transA, transB });
    const wa = wasm.allocFloat32(a.length),
      wb = wasm.allocFloat32(b.length),
      wc = wasm.allocFloat32(m * n);
    wa.set(a);
    wb.set(b);
    wasm.gemm(wa, wb, wc, { m, n, k, transA, transB });
    errors[`gemm ${m}x${n}x${k}`] = maxDifference(wc, expected);
  }
  const length = 70001;
  const w = random(length, 3),
    g = random(length, 4),
    mm = new Float32Array(length),
    v = new Float32Array(length);
  const ww = wasm.allocFloat32(length),
    wg = wasm.allocFloat32(length),
    wm = wasm.allocFloat32(length),
    wv = wasm.allocFloat32(length);
  ww.set(w);
  wg.set(g);
  const step = {
    lr: 0.01,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    biasCorrection1: 0.1,
    biasCorrection2: 0.001,
    weightDecay: 0,
    decoupled: false,
  };
  referenceBackend.adamUpdate(w, g, mm, v, step);
  wasm.adamUpdate(ww, wg, wm, wv, step);
  errors.adam = maxDifference(ww, w);
  const bytes = wasm.allocBytes(100 * 784);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 97) % 256;
  const rows = Array.from({ length: 64 }, (_, i) => (i * 37) % 100);
  const out = wasm.allocFloat32(64 * 784);
  const gathered = wasm.gatherUnitBytes(bytes, rows, 0, 64, 784, out);
  let gatherError = 0;
  for (let i = 0; i < 64; i++)
    for (let j = 0; j < 784; j++)
      gatherError = Math.max(gatherError, Math.abs(out[i * 784 + j]! - Math.fround(bytes[rows[i]! * 784 + j]! / 255)));
  errors.gather = gatherError;
  // Dropout masks are counter-based: the split across Web Workers must not change them.
  const size = 40_000,
    x = random(size, 5);
  // Keep probability 0.6: the threshold for the 16-bit draws, ⌈0.6·2^16⌉.
  const drop = { key0: 17, key1: 99, threshold: Math.ceil(0.6 * 65536), scale: 1 / 0.6 };
  const expectedOut = new Float32Array(size),
    expectedMask = new Float32Array(size);
  referenceBackend.dropout(x, expectedOut, expectedMask, size, drop);
  const wx = wasm.allocFloat32(size),
    wout = wasm.allocFloat32(size),
    wmask = wasm.allocFloat32(size);
  wx.set(x);
  wasm.dropout(wx, wout, wmask, size, drop);
  errors.dropout = Math.max(maxDifference(wout, expectedOut), maxDifference(wmask, expectedMask));
  wasm.dispose();
  return {
    crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ?? null,
    support,
    threads: wasm.threads,
    build: wasm.build,
    gathered,
    errors,
  };
}

run().then(
  (report) => postMessage(report),
  (error: unknown) => postMessage({ error: String(error) }),
);
