// Fashion-MNIST with the library and the WebAssembly backend: the images stay bytes inside the
// backend's memory and each batch is filled by a SIMD kernel; 784-256-128-10 ReLU, Adam.
//
//   apt-get install dataset-fashion-mnist      (or: npx backprop data fetch fashion-mnist)
//   npx tsx examples/fashion-mnist.ts [epochs] [training-images]
import { ByteImageSource, createWasmBackend, loadImageDataset, Sequential } from 'backprop/node';

const epochs = Number(process.argv[2] ?? 5);
const limit = Number(process.argv[3] ?? 60_000);

const backend = await createWasmBackend({ threads: 2 });
try {
  const data = await loadImageDataset('fashion-mnist', { allocateImages: (n) => backend.allocBytes(n) });
  const pixels = data.train.rows * data.train.cols;
  const classes = data.classNames.length;
  // The first `limit` images for training, seeded validation inside fit.
  const rows = Uint32Array.from({ length: Math.min(limit, data.train.count) }, (_, i) => i);
  const train = new ByteImageSource(data.train.images, data.train.labels, pixels, classes, rows);
  const test = new ByteImageSource(data.test.images, data.test.labels, pixels, classes);

  const model = Sequential.mlp({
    inputs: pixels,
    hidden: [256, 128],
    outputs: classes,
    task: 'classification',
    activation: 'relu',
    seed: 1,
    backend,
  });
  model.compile({ loss: 'categorical_crossentropy', optimizer: { name: 'adam', lr: 1e-3 }, metrics: ['accuracy'] });
  const { history } = model.fit(train, null, { epochs, batchSize: 128, seed: 1 });
  for (const e of history)
    console.log(
      `epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, accuracy ${e.accuracy?.toFixed(4)}, ${e.seconds.toFixed(2)} s`,
    );
  console.log(
    `test accuracy ${model.evaluate(test).accuracy!.toFixed(4)} on ${data.test.count} images (${data.classNames.join(', ')})`,
  );
} finally {
  backend.dispose();
}
