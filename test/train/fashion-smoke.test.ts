// A CI-sized learning check on real images: 6 000 Fashion-MNIST training images, 2 epochs, on both
// backends; a wrong gradient cannot reach the accuracy bound (chance is 10%).
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadImageDataset } from '../../src/data/image-datasets.js';
import { type Backend, ByteImageSource, createWasmBackend, referenceBackend, Sequential } from '../../src/index.js';

const SOURCE = '/usr/share/datasets/fashion-mnist';

describe.skipIf(!existsSync(SOURCE))('Fashion-MNIST smoke test', () => {
  const disposers: (() => void)[] = [];
  afterAll(() => disposers.forEach((d) => d()));

  const run = async (backend: Backend): Promise<{ accuracy: number; loss: number }> => {
    const data = await loadImageDataset('fashion-mnist', { dataDir: SOURCE });
    const n = 6000;
    const train = new ByteImageSource(
      data.train.images.subarray(0, n * 784),
      data.train.labels.subarray(0, n),
      784,
      10,
    );
    const test = new ByteImageSource(
      data.test.images.subarray(0, 2000 * 784),
      data.test.labels.subarray(0, 2000),
      784,
      10,
    );
    const model = Sequential.mlp({
      inputs: 784,
      hidden: [64],
      outputs: 10,
      task: 'classification',
      activation: 'relu',
      seed: 1,
      backend,
    });
    model.compile({ loss: 'cce', optimizer: { name: 'adam', lr: 2e-3 } });
    const { history } = model.fit(train, null, { epochs: 2, batchSize: 64, seed: 1 });
    expect(history[1]!.loss).toBeLessThan(history[0]!.loss);
    return model.evaluate(test) as { accuracy: number; loss: number };
  };

  it('the WASM backend learns: test accuracy above 75% after 2 epochs on 6 000 images', async () => {
    const wasm = await createWasmBackend({ threads: 2 });
    disposers.push(() => wasm.dispose());
    const { accuracy, loss } = await run(wasm);
    expect(accuracy).toBeGreaterThan(0.75);
    expect(loss).toBeLessThan(0.75);
  }, 60_000);

  it('the reference backend learns the same', async () => {
    const { accuracy } = await run(referenceBackend);
    expect(accuracy).toBeGreaterThan(0.75);
  }, 120_000);
});
