// Runs the benchmark task with backprop: Fashion-MNIST 784-256-128-10 ReLU, softmax + CCE, Adam 1e-3, batch 128.
// Usage: npx tsx bench/run-backprop.ts --backend js|wasm|blas|auto [--threads N] [--epochs 5] [--train-limit N] [--seed 1]
import { ByteImageSource, Sequential, Tensor, type Backend } from '../src/index.js';
import { loadImageDataset } from '../src/data/image-datasets.js';
import { flag, median, option, type SystemResult } from './args.js';

const backendName = option('backend', 'wasm');
const threads = Number(option('threads', '2'));
const epochs = Number(option('epochs', '5'));
const limit = Number(option('train-limit', '60000'));
const seed = Number(option('seed', '1'));

let backend: Backend | undefined;
let dispose = (): void => {};
if (backendName === 'wasm' || backendName === 'blas' || backendName === 'auto') {
  // blas: the system's BLAS for the products, the wasm kernels for the rest (src/backend/blas); auto: the CLI's default.
  const { createBackend } = await import('../src/backend/create-backend.js');
  const created = await createBackend(backendName, { threads });
  backend = created;
  if ('dispose' in created) dispose = () => created.dispose();
}

// With the wasm backend the pixels go straight into its memory, where a kernel fills each batch.
const data = await loadImageDataset('fashion-mnist', { allocateImages: backend?.allocBytes?.bind(backend) });
const n = Math.min(limit, data.train.count);
const train = new ByteImageSource(data.train.images.subarray(0, n * 784), data.train.labels.subarray(0, n), 784, 10);
const model = Sequential.mlp({ inputs: 784, hidden: [256, 128], outputs: 10, task: 'classification', activation: 'relu', seed, backend });
model.compile({ loss: 'cce', optimizer: { name: 'adam', lr: 1e-3 } });
const { history } = model.fit(train, null, { epochs, batchSize: 128, shuffle: true, seed });
const epochSeconds = history.map((h) => h.seconds);
const test = new ByteImageSource(data.test.images, data.test.labels, 784, 10);
const testAccuracy = model.evaluate(test, null, { batchSize: 1000 }).accuracy!;

// Inference: predict on the 10 000 test images in batches of 1 000, as float32 in [0, 1].
const xTest = new Float32Array(data.test.count * 784);
for (let i = 0; i < xTest.length; i++) xTest[i] = data.test.images[i]! / 255;
const x = new Tensor(xTest, [data.test.count, 784]);
model.predict(x, { batchSize: 1000 }); // warm-up
const started = performance.now();
model.predict(x, { batchSize: 1000 });
const inferenceSeconds = (performance.now() - started) / 1000;
const med = median(epochSeconds.length > 1 ? epochSeconds.slice(1) : epochSeconds);
const result: SystemResult = {
  system: `backprop ${backend?.name ?? 'js'}${backend ? ` (${threads} thread${threads > 1 ? 's' : ''}, ${(backend as { build?: string }).build})` : ''}`,
  epochSeconds,
  medianEpochSeconds: med,
  trainSamplesPerSecond: n / med,
  testAccuracy,
  inferenceSamplesPerSecond: data.test.count / inferenceSeconds,
  peakRssMB: process.resourceUsage().maxRSS / 1024,
};
dispose();
if (!flag('quiet')) console.error(JSON.stringify(history.map((h) => ({ epoch: h.epoch, loss: h.loss, seconds: h.seconds }))));
console.log(JSON.stringify(result));
