// Where an epoch goes: times every backend call (products by shape) and the batch fill over two
// epochs after a warm-up epoch, and prints milliseconds per epoch; then the same for one predict
// pass over the 10 000 test images in batches of 1 000 (the mean of ten passes after a warm-up).
// Usage: node --experimental-wasm-relaxed-simd --import tsx bench/profile-epoch.ts [--backend blas|wasm|js]
//        [--threads 2] [--epochs 2] [--hidden 256,128] [--batch 128] [--dropout 0]

import { loadImageDataset } from '../src/data/image-datasets.js';
import { type Backend, ByteImageSource, type GemmOptions, Sequential, Tensor } from '../src/index.js';
import { option } from './args.js';
import { BACKENDS } from './backends.js';

const backendName = option('backend', 'wasm');
const threads = Number(option('threads', '2'));
const epochs = Number(option('epochs', '2'));
const hidden = option('hidden', '256,128').split(',').map(Number);
const batchSize = Number(option('batch', '128'));
const dropout = Number(option('dropout', '0'));
const make = BACKENDS[backendName];
if (!make) throw new Error(`unknown backend '${backendName}'; expected one of ${Object.keys(BACKENDS).join(', ')}`);
const { backend, label, dispose } = await make(threads);
const spent = new Map<string, number>();
let timing = false;

/** Wraps `object[name]` so that its calls add their duration under the key `label(args)`. */
function time<T extends object>(object: T, name: keyof T & string, label: (args: unknown[]) => string): void {
  const original = (object[name] as (...args: unknown[]) => unknown).bind(object);
  (object as Record<string, unknown>)[name] = (...args: unknown[]): unknown => {
    if (!timing) return original(...args);
    const started = performance.now();
    const result = original(...args);
    const key = label(args);
    spent.set(key, (spent.get(key) ?? 0) + performance.now() - started);
    return result;
  };
}

const productName = (o: GemmOptions): string =>
  `gemm ${o.m}×${o.n}×${o.k}${o.transA ? ' Aᵀ' : ''}${o.transB ? ' Bᵀ' : ''}`;
time(backend, 'gemm', (a) => productName(a[3] as GemmOptions));
const kernels: (keyof Backend & string)[] = [
  'biasActivation',
  'activation',
  'activationBackward',
  'scaledDifference',
  'sumRows',
  'adamUpdate',
  'dropout',
  'multiply',
  'firstNonFinite',
];
for (const name of kernels) time(backend, name, () => name);

// With the wasm and blas backends the pixels go straight into their memory, where a kernel fills each batch.
const data = await loadImageDataset('fashion-mnist', { allocateImages: backend.allocBytes?.bind(backend) });
const train = new ByteImageSource(data.train.images, data.train.labels, 784, 10);
time(train, 'fill', () => `fill batch${backend.gatherUnitBytes ? ' (gatherUnitBytes)' : ''}`);
const model = Sequential.mlp({
  inputs: 784,
  hidden,
  outputs: 10,
  task: 'classification',
  activation: 'relu',
  dropout,
  seed: 1,
  backend,
});
model.compile({ loss: 'cce', optimizer: { name: 'adam', lr: 1e-3 } });
model.fit(train, null, { epochs: 1, batchSize, shuffle: true, seed: 1 });
timing = true;
const started = performance.now();
model.fit(train, null, { epochs, batchSize, shuffle: true, seed: 2 });
const total = (performance.now() - started) / epochs;
timing = false;
report(
  `ms per epoch of 784-${hidden.join('-')}-10, batch ${batchSize}${dropout ? `, dropout ${dropout}` : ''}; ${label}, mean of ${epochs} epochs after a warm-up epoch`,
  total,
  epochs,
  'epoch',
);

// Inference as the benchmark times it: float32 pixels in [0, 1] on the JS heap, batches of 1 000.
const passes = 10;
const pixels = new Float32Array(data.test.count * 784);
for (let i = 0; i < pixels.length; i++) pixels[i] = data.test.images[i]! / 255;
const xTest = new Tensor(pixels, [data.test.count, 784]);
model.predict(xTest, { batchSize: 1000 });
spent.clear();
timing = true;
const predictStarted = performance.now();
for (let pass = 0; pass < passes; pass++) model.predict(xTest, { batchSize: 1000 });
const predictTotal = (performance.now() - predictStarted) / passes;
timing = false;
console.log('');
report(
  `ms per predict pass over ${data.test.count.toLocaleString('en-US')} test images in batches of 1 000; ${label}, mean of ${passes} passes after a warm-up pass`,
  predictTotal,
  passes,
  'pass',
  0.05,
);
model.dispose();
dispose();

/** Prints the timed calls, largest first, and what they leave of `total` (ms per unit). */
function report(title: string, total: number, units: number, unit: string, threshold = 0.5): void {
  let accounted = 0;
  console.log(title);
  for (const [key, ms] of [...spent].sort((a, b) => b[1] - a[1])) {
    if (ms / units < threshold) continue;
    accounted += ms / units;
    console.log(`${format(ms / units)}  ${key}`);
  }
  console.log(
    `${format(total - accounted)}  everything else (JavaScript: ${unit === 'epoch' ? 'loss, metrics, trainer, small calls' : 'copies in and out, small calls'})`,
  );
  console.log(`${format(total)}  ${unit}`);
}

function format(ms: number): string {
  return (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)).padStart(6);
}
