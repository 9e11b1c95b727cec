// Shared by the suites that hold a backend with WASM memory (wasm, blas) against the reference
// backend: odd sizes with 1 and 0, the four transposes, seeded inputs placed in the backend's
// memory, and the gemm comparison.
import { expect } from 'vitest';
import { referenceBackend } from '../../src/backend/reference/reference.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import type { Rng } from '../../src/core/random.js';
import { expectAllClose } from './allclose.js';

export const SIZES = [0, 1, 2, 3, 7, 17, 33, 65, 130];
export const TRANSPOSES: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

/** `length` values uniform in [−1, 1]. */
export function random(rng: Rng, length: number): Float32Array {
  const x = new Float32Array(length);
  for (let i = 0; i < length; i++) x[i] = rng.uniformRange(-1, 1);
  return x;
}

/** A view inside the backend's memory holding a copy of `values`. */
export function inside(backend: WasmBackend, values: Float32Array): Float32Array {
  const x = backend.allocFloat32(values.length);
  x.set(values);
  return x;
}

/** Float32 rounding grows with the length of the dot products; inputs are in [−1, 1]. */
export const gemmAtol = (k: number): number => 4e-7 * (k + 2);

export interface GemmCase {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  accumulate: boolean;
  /** An overwriting product starts from a C full of NaN (which it must ignore). */
  poisonC?: boolean;
}

/** C = op(A)·op(B) (+ C) by `backend` on copies of a, b, c0 in its memory, within gemmAtol(k) of the reference's. */
export function expectGemmAsReference(
  backend: WasmBackend,
  a: Float32Array,
  b: Float32Array,
  c0: Float32Array,
  g: GemmCase,
): void {
  const { m, n, k, transA, transB, accumulate } = g;
  const expected = Float32Array.from(c0);
  referenceBackend.gemm(a, b, expected, { m, n, k, transA, transB, accumulate });
  const wa = inside(backend, a),
    wb = inside(backend, b),
    wc = inside(backend, c0);
  if (g.poisonC && !accumulate) wc.fill(NaN);
  backend.gemm(wa, wb, wc, { m, n, k, transA, transB, accumulate });
  expectAllClose(
    wc,
    expected,
    0,
    gemmAtol(k),
    `gemm m=${m} n=${n} k=${k} transA=${transA} transB=${transB} accumulate=${accumulate}`,
  );
  for (const x of [wa, wb, wc]) backend.free(x);
}

/** expectGemmAsReference for every (m, n, k) in SIZES³, overwriting and accumulating. */
export function expectGemmAsReferenceOnAllSizes(
  backend: WasmBackend,
  rng: Rng,
  transA: boolean,
  transB: boolean,
): void {
  for (const m of SIZES)
    for (const n of SIZES)
      for (const k of SIZES) {
        for (const accumulate of [false, true]) {
          expectGemmAsReference(backend, random(rng, m * k), random(rng, k * n), random(rng, m * n), {
            m,
            n,
            k,
            transA,
            transB,
            accumulate,
          });
        }
      }
}

/** A float64 product (Aᵀ·B) goes to the reference: the very same numbers. */
export function expectFloat64GemmIsReference(
  backend: WasmBackend,
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
): void {
  const a64 = Float64Array.from(a),
    b64 = Float64Array.from(b),
    c64 = new Float64Array(m * n),
    e64 = new Float64Array(m * n);
  backend.gemm(a64, b64, c64, { m, n, k, transA: true });
  referenceBackend.gemm(a64, b64, e64, { m, n, k, transA: true });
  expect(Array.from(c64)).toEqual(Array.from(e64));
}
