// Runs one benchmark workload with backprop: Fashion-MNIST, a ReLU MLP 784-hidden…-10, softmax + CCE,
// Adam 1e-3, shuffled batches, optional dropout after each hidden layer.
// Usage: npx tsx bench/run-backprop.ts --backend js|wasm [--threads 2] [--hidden 256,128] [--batch 128]
//        [--dropout 0] [--epochs 5] [--train-limit 60000] [--seed 1] [--quiet]
//        [--alternate-dropout 0.3 --rounds 7]: what dropout costs instead (see alternateDropout).

import { loadImageDataset } from '../src/data/image-datasets.js';
import { ByteImageSource, Sequential, Tensor } from '../src/index.js';
import { flag, INFERENCE_PASSES, median, option, type SystemResult } from './args.js';
import { BACKENDS } from './backends.js';

const backendName = option('backend', 'wasm');
const threads = Number(option('threads', '2'));
const hidden = option('hidden', '256,128').split(',').map(Number);
const batchSize = Number(option('batch', '128'));
const dropout = Number(option('dropout', '0'));
const epochs = Number(option('epochs', '5'));
const limit = Number(option('train-limit', '60000'));
const seed = Number(option('seed', '1'));

const alternate = Number(option('alternate-dropout', '0'));
const rounds = Number(option('rounds', '7'));

const make = BACKENDS[backendName];
if (!make) throw new Error(`unknown backend '${backendName}'; expected one of ${Object.keys(BACKENDS).join(', ')}`);
const { backend, label, dispose } = await make(threads);

// With the wasm backend the pixels go straight into its memory, where a kernel fills each batch.
const data = await loadImageDataset('fashion-mnist', { allocateImages: backend.allocBytes?.bind(backend) });
const n = Math.min(limit, data.train.count);
const train = new ByteImageSource(data.train.images.subarray(0, n * 784), data.train.labels.subarray(0, n), 784, 10);
function build(rate: number): Sequential {
  const m = Sequential.mlp({
    inputs: 784,
    hidden,
    outputs: 10,
    task: 'classification',
    activation: 'relu',
    dropout: rate,
    seed,
    backend,
  });
  m.compile({ loss: 'cce', optimizer: { name: 'adam', lr: 1e-3 } });
  return m;
}

/**
 * What dropout costs, measured so that the machine's drift cancels: one model without dropout and
 * one with it train epoch by epoch in turn in this one process (A B, B A, A B, …, so that neither
 * always goes first), and each round gives the ratio of its two epochs. Prints one JSON line with
 * both epoch lists; bench/train.ts takes the median ratio of the rounds after the first.
 */
function alternateDropout(rate: number): void {
  const runs = [build(0), build(rate)].map((m) =>
    m.start(train, null, { epochs: Infinity, batchSize, shuffle: true, seed, keepHistory: false }),
  );
  const seconds: [number[], number[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    for (const which of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const run = runs[which]!;
      const started = performance.now();
      for (const step of run) if (step.epochEnd) break;
      seconds[which]!.push((performance.now() - started) / 1000);
    }
  }
  console.log(
    JSON.stringify({ system: `backprop ${label}`, plainEpochSeconds: seconds[0], dropoutEpochSeconds: seconds[1] }),
  );
}

if (alternate > 0) {
  alternateDropout(alternate);
  dispose();
  process.exit(0);
}

const model = build(dropout);
const { history } = model.fit(train, null, { epochs, batchSize, shuffle: true, seed });
const epochSeconds = history.map((h) => h.seconds);
const test = new ByteImageSource(data.test.images, data.test.labels, 784, 10);
const testAccuracy = model.evaluate(test, null, { batchSize: 1000 }).accuracy!;

// Inference: predict on the 10 000 test images in batches of 1 000, as float32 in [0, 1]; the
// median of five passes after a warm-up pass (one pass takes a few tens of milliseconds).
const xTest = new Float32Array(data.test.count * 784);
for (let i = 0; i < xTest.length; i++) xTest[i] = data.test.images[i]! / 255;
const x = new Tensor(xTest, [data.test.count, 784]);
model.predict(x, { batchSize: 1000 }); // warm-up
const passes: number[] = [];
for (let pass = 0; pass < INFERENCE_PASSES; pass++) {
  const started = performance.now();
  model.predict(x, { batchSize: 1000 });
  passes.push((performance.now() - started) / 1000);
}
const inferenceSeconds = median(passes);
const med = median(epochSeconds.length > 1 ? epochSeconds.slice(1) : epochSeconds);
const result: SystemResult = {
  system: `backprop ${label}`,
  epochSeconds,
  medianEpochSeconds: med,
  trainSamplesPerSecond: n / med,
  testAccuracy,
  inferenceSamplesPerSecond: data.test.count / inferenceSeconds,
  peakRssMB: process.resourceUsage().maxRSS / 1024,
};
model.dispose();
dispose();
if (!flag('quiet'))
  console.error(JSON.stringify(history.map((h) => ({ epoch: h.epoch, loss: h.loss, seconds: h.seconds }))));
console.log(JSON.stringify(result));
