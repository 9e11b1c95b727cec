// GEMM throughput (GFLOP/s) of the WASM backend (each build, 1 and 2 threads) against tfjs-wasm's
// matMul (1 thread), the reference backend and the system BLAS (the blas backend, 1 and 2 threads),
// on the benchmark MLP's forward and backward shapes.
// Usage: npx tsx bench/gemm.ts [--quick] [--json] [--stat median|best]
// (best = fastest sample: closer to what the code can do when other processes share the cores).
// Samples of all systems alternate, so the ratios hold even when the machine's speed drifts.
// Relaxed SIMD needs it enabled in Node 20: node --experimental-wasm-relaxed-simd --import tsx bench/gemm.ts
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Backend } from '../src/backend/backend.js';
import { createBlasBackend } from '../src/backend/blas/index.js';
import { referenceBackend } from '../src/backend/reference/reference.js';
import { createWasmBackend, WASM_BUILDS, wasmSupport } from '../src/backend/wasm/index.js';
import { flag, median, option } from './args.js';

interface Shape {
  name: string;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

/** MLP 784-256-128-10, batch 128: Z = A·Wᵀ forward, dW = dZᵀ·A and dA = dZ·W backward. */
const SHAPES: Shape[] = [
  { name: 'X·W (128×784·784×256)', m: 128, n: 256, k: 784, transA: false, transB: false },
  { name: 'fwd1 X·W1ᵀ', m: 128, n: 256, k: 784, transA: false, transB: true },
  { name: 'fwd2 A1·W2ᵀ', m: 128, n: 128, k: 256, transA: false, transB: true },
  { name: 'fwd3 A2·W3ᵀ', m: 128, n: 10, k: 128, transA: false, transB: true },
  { name: 'dW1 dZ1ᵀ·X', m: 256, n: 784, k: 128, transA: true, transB: false },
  { name: 'dW2 dZ2ᵀ·A1', m: 128, n: 256, k: 128, transA: true, transB: false },
  { name: 'dA1 dZ2·W2', m: 128, n: 256, k: 128, transA: false, transB: false },
  { name: 'dX dZ1·W1', m: 128, n: 784, k: 256, transA: false, transB: false },
];

const quick = flag('quick');
const json = flag('json');
const minSampleMs = quick ? 5 : 25;
const samples = quick ? 3 : 7;
const stat = option('stat', 'median');

/** A product to time: `run` computes it once. */
interface Timed {
  label: string;
  run: () => void;
  /** One sample only (the reference backend is ~50× slower than the rest). */
  slow?: boolean;
}

/** Repetitions of `run` that take at least minSampleMs (after one warm-up call). */
function calibrate(run: () => void, slow: boolean): number {
  run();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) run();
    if (performance.now() - t0 >= minSampleMs || slow) return reps;
    reps *= 2;
  }
}

/**
 * GFLOP/s of each system on one shape. Samples go round-robin over the systems (one sample of each,
 * then the next round), so that a change in the machine's speed during the run (other tenants,
 * clock changes) reaches every system alike and the ratios stay fair.
 */
function measureAll(flops: number, systems: Timed[]): Map<string, number> {
  const reps = systems.map((t) => calibrate(t.run, t.slow === true));
  const rates = systems.map((): number[] => []);
  for (let s = 0; s < samples; s++) {
    systems.forEach((t, i) => {
      if (t.slow && s > 0) return;
      const t0 = performance.now();
      for (let r = 0; r < reps[i]!; r++) t.run();
      rates[i]!.push((flops * reps[i]!) / ((performance.now() - t0) * 1e6));
    });
  }
  return new Map(systems.map((t, i) => [t.label, stat === 'best' ? Math.max(...rates[i]!) : median(rates[i]!)]));
}

function fillRandom(x: Float32Array): void {
  for (let i = 0; i < x.length; i++) x[i] = Math.random() - 0.5;
}

/** The product of `shape` on `backend`, with its operands allocated in the backend's memory. */
function backendProduct(label: string, backend: Backend, shape: Shape, slow = false): Timed {
  const { m, n, k, transA, transB } = shape;
  const a = backend.allocFloat32(m * k),
    b = backend.allocFloat32(k * n),
    c = backend.allocFloat32(m * n);
  fillRandom(a);
  fillRandom(b);
  return { label, slow, run: () => backend.gemm(a, b, c, { m, n, k, transA, transB }) };
}

/** The same product with tfjs's matMul (the WASM backend runs kernels eagerly: done when it returns). */
function tfjsProduct(shape: Shape): Timed & { dispose(): void } {
  const { m, n, k, transA, transB } = shape;
  const a = tf.randomUniform(transA ? [k, m] : [m, k]);
  const b = tf.randomUniform(transB ? [n, k] : [k, n]);
  return {
    label: 'tfjs-wasm 1T',
    run: () => tf.matMul(a, b, transA, transB).dispose(),
    dispose: () => {
      a.dispose();
      b.dispose();
    },
  };
}

const require = createRequire(import.meta.url);
setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep);
setThreadsCount(1);
await tf.setBackend('wasm');
await tf.ready();

const support = await wasmSupport();
const configs: { label: string; backend: Backend & { dispose(): void } }[] = [];
for (const build of WASM_BUILDS) {
  if (build !== 'scalar' && !support[build]) continue;
  for (const threads of support.threads ? [1, 2] : [1]) {
    configs.push({ label: `${build} ${threads}T`, backend: await createWasmBackend({ build, threads }) });
  }
}

// The system BLAS through the blas backend, where koffi and a library load. OpenBLAS picks its own
// kernel only without OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE npm run bench:gemm
const blasConfigs: typeof configs = [];
try {
  for (const threads of [1, 2])
    blasConfigs.push({ label: `blas ${threads}T`, backend: await createBlasBackend({ threads }) });
} catch (e) {
  console.error(`no blas column: ${(e as Error).message}`);
}

const rows: Record<string, string | number>[] = [];
for (const shape of SHAPES) {
  const row: Record<string, string | number> = { shape: shape.name, m: shape.m, n: shape.n, k: shape.k };
  const tfjsRun = tfjsProduct(shape);
  const systems: Timed[] = [
    backendProduct('reference', referenceBackend, shape, true),
    tfjsRun,
    ...[...configs, ...blasConfigs].map(({ label, backend }) => backendProduct(label, backend, shape)),
  ];
  const rates = measureAll(2 * shape.m * shape.n * shape.k, systems);
  tfjsRun.dispose();
  for (const t of systems) row[t.label] = rates.get(t.label)!;
  const best1 = Math.max(
    ...configs
      .filter((c) => c.label.endsWith(' 1T') && !c.label.startsWith('scalar'))
      .map((c) => row[c.label] as number),
  );
  const best2 = Math.max(
    ...configs
      .filter((c) => c.label.endsWith(' 2T') && !c.label.startsWith('scalar'))
      .map((c) => row[c.label] as number),
  );
  row['best 1T / tfjs'] = best1 / (row['tfjs-wasm 1T'] as number);
  if (Number.isFinite(best2)) row['best 2T / tfjs'] = best2 / (row['tfjs-wasm 1T'] as number);
  rows.push(row);
}
for (const { backend } of [...configs, ...blasConfigs]) backend.dispose();

if (json) {
  console.log(JSON.stringify({ unit: 'GFLOP/s', stat, tfjs: tf.version.tfjs, support, rows }, null, 2));
} else {
  console.log(
    `GEMM GFLOP/s, ${stat} of ${samples} samples (tfjs ${tf.version.tfjs} wasm, 1 thread; ours: build × threads; relaxed SIMD ${support.relaxed ? 'on' : 'off in this runtime'})`,
  );
  const columns = Object.keys(rows[0]!);
  const cell = (v: string | number | undefined, key: string): string =>
    typeof v === 'number'
      ? key.includes('/')
        ? `${v.toFixed(2)}×`
        : key.length === 1
          ? String(v)
          : v.toFixed(1)
      : (v ?? '');
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c], c).length)));
  console.log(columns.map((c, i) => c.padStart(widths[i]!)).join('  '));
  for (const r of rows) console.log(columns.map((c, i) => cell(r[c], c).padStart(widths[i]!)).join('  '));
}
