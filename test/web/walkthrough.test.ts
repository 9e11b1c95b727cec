// The step-mode walk-through: its δ recursion gives the library's gradients, and walking a batch
// is the same training step as trainStep.
import { describe, expect, it } from 'vitest';
import { Rng, Sequential, Tensor } from '../../src/index.js';
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../../web/src/config.js';
import { generateData } from '../../web/src/datasets.js';
import { Session } from '../../web/src/session.js';
import { walkBatch } from '../../web/src/walkthrough.js';
import { expectAllClose } from '../helpers/allclose.js';

const HEADS: { task: 'multilabel' | 'classification' | 'regression'; outputs: number }[] = [
  { task: 'multilabel', outputs: 1 },
  { task: 'classification', outputs: 2 },
  { task: 'regression', outputs: 1 },
];

describe('walkBatch', () => {
  for (const { task, outputs } of HEADS) {
    for (const activation of ['tanh', 'relu', 'sigmoid'] as const) {
      it(`${task} head, ${activation} hidden: ∂J/∂W from the δ recursion equal back-propagation's`, () => {
        const rng = new Rng(7);
        const model = Sequential.mlp({ inputs: 2, hidden: [5, 3], outputs, task, activation, seed: 7 });
        const m = 6;
        const x = Tensor.from(
          Array.from({ length: 2 * m }, () => rng.normal()),
          [m, 2],
          'float64',
        );
        const y = Tensor.zeros([m, outputs], 'float64');
        for (let i = 0; i < m; i++) {
          if (task === 'classification') y.data[i * 2 + rng.int(2)] = 1;
          else y.data[i] = task === 'multilabel' ? rng.int(2) : rng.normal();
        }
        const walk = walkBatch(model, x, y);
        expect(walk.fused).toBe(task !== 'regression');
        const model64 = model.withContext({ dtype: 'float64', backend: model.network.backend });
        model64.compile({ loss: model.loss });
        expect(model64.computeGradients(x, y)).toBeCloseTo(walk.lossValue, 12);
        const params = model64.parameters();
        walk.layers.forEach((layer, l) => {
          expectAllClose(layer.weightGrad.flat(), params[2 * l]!.grad.data, 1e-10, 1e-13, `layer ${l} ∂J/∂W`);
          expectAllClose(layer.biasGrad, params[2 * l + 1]!.grad.data, 1e-10, 1e-13, `layer ${l} ∂J/∂b`);
        });
        // The shown example's forward values: a = g(z), z = W x + b.
        const first = walk.layers[0]!;
        first.z.forEach((z, u) =>
          expect(z).toBeCloseTo(
            first.bias[u]! + first.weight[u]![0]! * walk.x[0]! + first.weight[u]![1]! * walk.x[1]!,
            12,
          ),
        );
      });
    }
  }
});

describe('Session.walkthrough', () => {
  const config: PlaygroundConfig = {
    ...DEFAULT_CONFIG,
    dataset: 'xor',
    hidden: [4, 4],
    optimizer: 'sgd',
    lr: 0.1,
    seed: 5,
  };

  it('takes exactly the step trainStep takes, and reports the update it made', () => {
    const walked = new Session(config, generateData(config));
    const stepped = new Session(config, generateData(config));
    for (let i = 0; i < 7; i++) {
      walked.trainStep();
      stepped.trainStep();
    }
    const walk = walked.walkthrough();
    stepped.trainStep();
    expect(walk.step).toBe(7);
    expect(walked.step).toBe(8);
    const a = walked.snapshot(),
      b = stepped.snapshot();
    a.layers.forEach((layer, l) => expect(Array.from(layer.weight)).toEqual(Array.from(b.layers[l]!.weight)));
    // Plain SGD: ΔW = −α ∂J/∂W (float32 weights, float64 gradients).
    for (const layer of walk.layers) {
      expectAllClose(
        layer.weightUpdate.flat(),
        layer.weightGrad.flat().map((g) => -0.1 * g),
        1e-4,
        1e-7,
        'ΔW',
      );
    }
    expect(walk.m).toBe(10);
    expect(walk.layers.map((l) => [l.units, l.inputs])).toEqual([
      [4, 2],
      [4, 4],
      [1, 4],
    ]);
  });

  it('walks the first batch of an epoch (the coming shuffle) and the batch after a batch-size change', () => {
    const walked = new Session(config, generateData(config));
    const stepped = new Session(config, generateData(config));
    const same = (): void =>
      walked
        .snapshot()
        .layers.forEach((layer, l) =>
          expect(Array.from(layer.weight)).toEqual(Array.from(stepped.snapshot().layers[l]!.weight)),
        );
    walked.walkthrough();
    stepped.trainStep();
    same();
    for (let i = 1; i < walked.batchesPerEpoch; i++) {
      walked.trainStep();
      stepped.trainStep();
    }
    expect(walked.epoch).toBe(1);
    walked.walkthrough();
    stepped.trainStep();
    same();
    walked.updateHyperParameters({ ...config, batchSize: 3 });
    stepped.updateHyperParameters({ ...config, batchSize: 3 });
    expect(walked.walkthrough().m).toBe(3);
    stepped.trainStep();
    same();
  });
});
