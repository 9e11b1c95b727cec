// Where an epoch goes: times every backend call (products by shape) and the batch fill over two
// epochs after a warm-up epoch, and prints milliseconds per epoch.
// Usage: node --experimental-wasm-relaxed-simd --import tsx bench/profile-epoch.ts [--backend blas|wasm|js]
//        [--threads 2] [--epochs 2] [--hidden 256,128] [--batch 128] [--dropout 0]
import { ByteImageSource, Sequential, type Backend, type GemmOptions } from '../src/index.js';
import { loadImageDataset } from '../src/data/image-datasets.js';
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

const productName = (o: GemmOptions): string => `gemm ${o.m}×${o.n}×${o.k}${o.transA ? ' Aᵀ' : ''}${o.transB ? ' Bᵀ' : ''}`;
time(backend, 'gemm', (a) => productName(a[3] as GemmOptions));
const kernels: (keyof Backend & string)[] = ['biasActivation', 'activation', 'activationBackward', 'scaledDifference', 'sumRows', 'adamUpdate', 'dropout', 'multiply'];
for (const name of kernels) time(backend, name, () => name);

// With the wasm and blas backends the pixels go straight into their memory, where a kernel fills each batch.
const data = await loadImageDataset('fashion-mnist', { allocateImages: backend.allocBytes?.bind(backend) });
const train = new ByteImageSource(data.train.images, data.train.labels, 784, 10);
time(train, 'fill', () => `fill batch${backend.gatherUnitBytes ? ' (gatherUnitBytes)' : ''}`);
const model = Sequential.mlp({ inputs: 784, hidden, outputs: 10, task: 'classification', activation: 'relu', dropout, seed: 1, backend });
model.compile({ loss: 'cce', optimizer: { name: 'adam', lr: 1e-3 } });
model.fit(train, null, { epochs: 1, batchSize, shuffle: true, seed: 1 });
timing = true;
const started = performance.now();
model.fit(train, null, { epochs, batchSize, shuffle: true, seed: 2 });
const total = (performance.now() - started) / epochs;
timing = false;
model.dispose();
dispose();

// The fill's own time includes its gatherUnitBytes call; list the products merged by size.
let accounted = 0;
console.log(`ms per epoch of 784-${hidden.join('-')}-10, batch ${batchSize}${dropout ? `, dropout ${dropout}` : ''}; ${label}, mean of ${epochs} epochs after a warm-up epoch`);
for (const [key, ms] of [...spent].sort((a, b) => b[1] - a[1])) {
  if (ms / epochs < 0.5) continue;
  accounted += ms / epochs;
  console.log(`${(ms / epochs).toFixed(0).padStart(6)}  ${key}`);
}
console.log(`${(total - accounted).toFixed(0).padStart(6)}  everything else (JavaScript: loss, metrics, trainer, small calls)`);
console.log(`${total.toFixed(0).padStart(6)}  epoch`);
