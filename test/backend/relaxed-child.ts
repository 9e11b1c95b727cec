// Child process of wasm-relaxed.test.ts, run with relaxed SIMD enabled: checks the relaxed build's
// GEMM (fused multiply-add) against the reference on 1 and 2 threads and prints the worst error.
import { referenceBackend } from '../../src/backend/reference/reference.js';
import { createWasmBackend, wasmSupport } from '../../src/backend/wasm/index.js';
import { Rng } from '../../src/core/random.js';

const support = await wasmSupport();
const rng = new Rng(5);
const results: { threads: number; worstExcess: number; cases: number }[] = [];
for (const threads of support.threads ? [1, 2] : [1]) {
  const wasm = await createWasmBackend({ build: 'relaxed', threads });
  let worstExcess = 0;
  let cases = 0;
  for (const [m, n, k] of [
    [0, 3, 5],
    [1, 1, 1],
    [3, 7, 2],
    [17, 33, 65],
    [130, 65, 7],
    [129, 520, 513],
    [128, 256, 784],
  ] as const) {
    for (const transA of [false, true])
      for (const transB of [false, true])
        for (const accumulate of [false, true]) {
          const a = wasm.allocFloat32(m * k),
            b = wasm.allocFloat32(k * n),
            c = wasm.allocFloat32(m * n);
          for (const x of [a, b, c]) for (let i = 0; i < x.length; i++) x[i] = rng.uniformRange(-1, 1);
          const expected = Float32Array.from(c);
          referenceBackend.gemm(a, b, expected, { m, n, k, transA, transB, accumulate });
          wasm.gemm(a, b, c, { m, n, k, transA, transB, accumulate });
          // Excess over the tolerance the main suite uses; ≤ 0 means within it.
          const atol = 4e-7 * (k + 2);
          for (let i = 0; i < c.length; i++) worstExcess = Math.max(worstExcess, Math.abs(c[i]! - expected[i]!) - atol);
          for (const x of [a, b, c]) wasm.free(x);
          cases++;
        }
  }
  wasm.dispose();
  results.push({ threads, worstExcess, cases });
}
console.log(JSON.stringify({ relaxed: support.relaxed, results }));
