// Runs one benchmark workload with TensorFlow.js (cpu or wasm backend), same model, optimiser and batches.
// Usage: npx tsx bench/run-tfjs.ts --backend cpu|wasm [--hidden 256,128] [--batch 128] [--epochs 5] [--train-limit N]
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { loadImageDataset } from '../src/data/image-datasets.js';
import { INFERENCE_PASSES, median, option, type SystemResult } from './args.js';

const backendName = option('backend', 'wasm');
const epochs = Number(option('epochs', '5'));
const limit = Number(option('train-limit', '60000'));
const hidden = option('hidden', '256,128').split(',').map(Number);
const batchSize = Number(option('batch', '128'));

if (backendName === 'wasm') {
  const require = createRequire(import.meta.url);
  const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  setWasmPaths(dist + path.sep);
  setThreadsCount(1);
}
await tf.setBackend(backendName);
await tf.ready();

const data = await loadImageDataset('fashion-mnist');
const n = Math.min(limit, data.train.count);
const toFloat = (bytes: Uint8Array): Float32Array => Float32Array.from(bytes, (b) => b / 255);
const oneHot = (labels: Uint8Array): Float32Array => {
  const y = new Float32Array(labels.length * 10);
  labels.forEach((l, i) => (y[i * 10 + l] = 1));
  return y;
};
const x = tf.tensor2d(toFloat(data.train.images.subarray(0, n * 784)), [n, 784]);
const y = tf.tensor2d(oneHot(data.train.labels.subarray(0, n)), [n, 10]);
const model = tf.sequential({
  layers: [
    ...hidden.map((units, i) =>
      tf.layers.dense({ ...(i === 0 ? { inputShape: [784] } : {}), units, activation: 'relu' }),
    ),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const epochSeconds: number[] = [];
let started = 0;
await model.fit(x, y, {
  epochs,
  batchSize,
  shuffle: true,
  verbose: 0,
  callbacks: {
    onEpochBegin: async () => void (started = performance.now()),
    onEpochEnd: async () => void epochSeconds.push((performance.now() - started) / 1000),
  },
});
const xt = tf.tensor2d(toFloat(data.test.images), [data.test.count, 784]);
const yt = tf.tensor2d(oneHot(data.test.labels), [data.test.count, 10]);
const evaluation = model.evaluate(xt, yt, { batchSize: 1000 }) as tf.Scalar[];
const testAccuracy = (await evaluation[1]!.data())[0]!;
(model.predict(xt, { batchSize: 1000 }) as tf.Tensor).dispose(); // warm-up
const passes: number[] = [];
for (let pass = 0; pass < INFERENCE_PASSES; pass++) {
  const t0 = performance.now();
  const p = model.predict(xt, { batchSize: 1000 }) as tf.Tensor;
  await p.data();
  passes.push((performance.now() - t0) / 1000);
  p.dispose();
}
const inferenceSeconds = median(passes);
const med = median(epochSeconds.length > 1 ? epochSeconds.slice(1) : epochSeconds);
const result: SystemResult = {
  system: `tfjs ${tf.version.tfjs} ${backendName}${backendName === 'wasm' ? ' (1 thread)' : ''}`,
  epochSeconds,
  medianEpochSeconds: med,
  trainSamplesPerSecond: n / med,
  testAccuracy,
  inferenceSamplesPerSecond: data.test.count / inferenceSeconds,
  peakRssMB: process.resourceUsage().maxRSS / 1024,
};
console.log(JSON.stringify(result));
