// The ceiling of 128-bit WebAssembly SIMD on this machine: multiply-adds per second of a loop with
// twelve independent f32x4 accumulators and no memory traffic (relaxed fused multiply-add, and a
// separate multiply and add), on one thread and on every core at once; and what that ceiling implies
// for the benchmark task's products (784-256-128-10, 60 000 images: forward, weight gradients, and the
// input gradients of the two upper layers).
// Usage: node --experimental-wasm-relaxed-simd --import tsx bench/simd-peak.ts [--seconds 1]

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { option } from './args.js';

const seconds = Number(option('seconds', '1'));

/** Twelve accumulators: more than the FMA latency × issue width of current cores, so the loop is throughput-bound. */
function source(fused: boolean): string {
  const step = (a: string): string =>
    fused ? `${a} = f32x4.relaxed_madd(${a}, b, c);` : `${a} = f32x4.add(f32x4.mul(${a}, b), c);`;
  const names = Array.from({ length: 12 }, (_, i) => `a${i}`);
  return `
export function run(iterations: i32): f32 {
  ${names.map((a) => `let ${a} = f32x4.splat(${a.slice(1)});`).join(' ')}
  const b = f32x4.splat(0.999), c = f32x4.splat(0.001);
  for (let i = 0; i < iterations; i++) { ${names.map(step).join(' ')} }
  let s = a0; ${names
    .slice(1)
    .map((a) => `s = f32x4.add(s, ${a});`)
    .join(' ')}
  return f32x4.extract_lane(s, 0);
}`;
}

async function compile(fused: boolean): Promise<Uint8Array> {
  const { default: asc } = await import('assemblyscript/asc');
  let binary: Uint8Array | null = null;
  const stderr: string[] = [];
  const { error } = await asc.main(
    ['peak.ts', '--outFile', 'peak.wasm', '-O3', '--runtime', 'stub', '--use', 'abort=', '--enable', 'relaxed-simd'],
    {
      readFile: (name: string) => (name === 'peak.ts' ? source(fused) : null),
      writeFile: (name: string, contents: string | Uint8Array) => {
        if (name.endsWith('.wasm') && contents instanceof Uint8Array) binary = contents;
      },
      stderr: { write: (text: string) => void stderr.push(String(text)) },
    },
  );
  if (error || binary === null) throw new Error(`asc failed:\n${stderr.join('')}${error?.message ?? ''}`);
  return binary;
}

/** Runs in each thread: GFLOP/s of the best of five timed calls of about `seconds` / 5 each. */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { bytes, seconds } = workerData;
WebAssembly.instantiate(bytes, { env: {} }).then(({ instance }) => {
  const run = instance.exports.run;
  let iterations = 1 << 16;
  for (;;) {
    const t = performance.now(); run(iterations);
    if (performance.now() - t > seconds * 200) break;
    iterations *= 2;
  }
  let best = 0;
  for (let r = 0; r < 5; r++) {
    const t = performance.now(); run(iterations);
    best = Math.max(best, (iterations * 12 * 8) / ((performance.now() - t) * 1e6));
  }
  parentPort.postMessage(best);
});`;

function measure(bytes: Uint8Array, threads: number): Promise<number[]> {
  return Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(THREAD, { eval: true, workerData: { bytes, seconds } });
          worker.once('message', (gflops: number) => {
            resolve(gflops);
            void worker.terminate();
          });
          worker.once('error', reject);
        }),
    ),
  );
}

const cores = availableParallelism();
const layers = [784, 256, 128, 10];
let macs = 0;
for (let l = 1; l < layers.length; l++) macs += 2 * layers[l - 1]! * layers[l]!; // forward and weight gradient
for (let l = 2; l < layers.length; l++) macs += layers[l - 1]! * layers[l]!; // input gradient of the upper layers
const taskFlop = 2 * 60_000 * macs;

console.log(`128-bit WebAssembly SIMD peak, GFLOP/s (best of 5 calls per thread; ${cores} cores)`);
for (const fused of [true, false]) {
  const bytes = await compile(fused);
  const one = (await measure(bytes, 1))[0]!;
  const all = (await measure(bytes, cores)).reduce((a, b) => a + b, 0);
  const label = fused ? 'f32x4.relaxed_madd' : 'f32x4.mul + f32x4.add';
  console.log(
    `${label.padEnd(22)}  1 thread ${one.toFixed(1).padStart(6)}  ${cores} threads ${all.toFixed(1).padStart(6)}`,
  );
  if (fused)
    console.log(
      `the task's products (${(taskFlop / 1e9).toFixed(1)} GFLOP per epoch) at this peak on ${cores} threads: ${((taskFlop / (all * 1e9)) * 1000).toFixed(0)} ms per epoch`,
    );
}
