// Fashion-MNIST through the CLI (when Debian's copy is installed): a small untrained model keeps it
// fast; the point is the wiring — splits, labels, evaluation on the test images and the report.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/node.js';
import { cliJson, scratch } from './helpers.js';

const SOURCE = '/usr/share/datasets/fashion-mnist';

describe.skipIf(!existsSync(SOURCE))('train --data fashion-mnist', () => {
  it('holds out 10% of the 60 000 training images, tests on the 10 000 test images, saves class names', async () => {
    const dir = scratch();
    const model = join(dir, 'm');
    const r = await cliJson(
      'train',
      '--data',
      'fashion-mnist',
      '--data-dir',
      SOURCE,
      '--layers',
      '8',
      '--epochs',
      '0',
      '--out',
      model,
      '--report',
      join(dir, 'report'),
    );
    expect(r.code, r.err).toBe(0);
    const test = r.json.test as { accuracy: number; loss: number };
    // An untrained 10-class model is near chance and near ln 10 in loss.
    expect(test.accuracy).toBeGreaterThan(0.02);
    expect(test.accuracy).toBeLessThan(0.3);
    const m = await loadModel(model);
    expect(m.labels).toEqual([
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ]);
    expect(m.summary().layers.map((l) => l.type)).toEqual(['dense', 'dropout', 'dense']);
    expect(m.trainingConfig).toMatchObject({
      validationSplit: 0.1,
      testSplit: null,
      batchSize: 128,
      schedule: { name: 'cosine', tMax: 1 },
    });
    const html = readFileSync(join(dir, 'report', 'report.html'), 'utf8');
    expect(html).toMatch(/Misclassified examples \(36\)/);
    expect(html).toMatch(/Ankle boot/);
    const ev = await cliJson('eval', '--model', model, '--data', 'fashion-mnist', '--data-dir', SOURCE);
    expect(ev.code, ev.err).toBe(0);
    expect(ev.json.examples).toBe(10000);
    expect(ev.json.accuracy).toBeCloseTo(test.accuracy, 10);
  }, 60_000);
});
