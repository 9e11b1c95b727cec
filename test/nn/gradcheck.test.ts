// Back-propagation against central differences for every activation × loss × initialiser family.
import { describe, expect, it } from 'vitest';
import {
  type ActivationName,
  Dense,
  gradCheck,
  type InitName,
  type LossName,
  Rng,
  Sequential,
  setWarningHandler,
  Tensor,
} from '../../src/index.js';

const HIDDEN: ActivationName[] = ['sigmoid', 'relu', 'leaky_relu', 'tanh', 'linear', 'softmax'];
const HEADS: { activation: ActivationName; loss: LossName; targets: 'onehot' | 'binary' | 'real' }[] = [
  { activation: 'softmax', loss: 'categorical_crossentropy', targets: 'onehot' },
  { activation: 'sigmoid', loss: 'binary_crossentropy', targets: 'binary' },
  { activation: 'linear', loss: 'mse', targets: 'real' },
  { activation: 'linear', loss: 'mae', targets: 'real' },
  { activation: 'linear', loss: 'huber', targets: 'real' },
  // Unfused pairs exercise the generic dL/da path.
  { activation: 'tanh', loss: 'mse', targets: 'real' },
  { activation: 'sigmoid', loss: 'mse', targets: 'binary' },
];
const INITS: InitName[] = ['uniform', 'lecun_normal', 'he_normal', 'glorot_normal', 'glorot_uniform'];

function data(
  rng: Rng,
  m: number,
  inputs: number,
  outputs: number,
  kind: 'onehot' | 'binary' | 'real',
): [Tensor, Tensor] {
  const x = Tensor.from(
    Array.from({ length: m * inputs }, () => rng.normal()),
    [m, inputs],
    'float64',
  );
  const y = Tensor.zeros([m, outputs], 'float64');
  for (let r = 0; r < m; r++) {
    if (kind === 'onehot') y.data[r * outputs + rng.int(outputs)] = 1;
    else for (let j = 0; j < outputs; j++) y.data[r * outputs + j] = kind === 'binary' ? rng.int(2) : 2 * rng.normal();
  }
  return [x, y];
}

describe('gradient check (float64 central differences)', () => {
  for (const hidden of HIDDEN) {
    for (const head of HEADS) {
      for (const init of INITS) {
        it(`${hidden} hidden, ${head.activation} + ${head.loss}, ${init}`, () => {
          const rng = new Rng(hidden.length * 31 + head.loss.length * 7 + init.length);
          const model = new Sequential([
            new Dense(4, 5, { activation: hidden, init, rng }),
            new Dense(5, 3, { activation: head.activation, init, rng }),
          ]);
          model.compile({ loss: head.loss });
          const [x, y] = data(rng, 7, 4, 3, head.targets);
          const report = gradCheck(model, x, y);
          expect(report.tensors.map((t) => t.name)).toEqual([
            'layers.0.weight',
            'layers.0.bias',
            'layers.1.weight',
            'layers.1.bias',
          ]);
          for (const t of report.tensors) expect(t.relativeError, t.name).toBeLessThan(1e-6);
          expect(report.passed).toBe(true);
        });
      }
    }
  }

  it('zero initialisation still has correct gradients (with its warning)', () => {
    const warnings: string[] = [];
    const previous = setWarningHandler((m) => warnings.push(m));
    try {
      const rng = new Rng(3);
      const model = Sequential.mlp({
        inputs: 3,
        hidden: [4],
        outputs: 2,
        task: 'classification',
        activation: 'tanh',
        init: 'zeros',
        seed: 3,
      });
      const [x, y] = data(rng, 5, 3, 2, 'onehot');
      expect(gradCheck(model, x, y).passed).toBe(true);
      expect(warnings.some((w) => /symmetry/.test(w))).toBe(true);
    } finally {
      setWarningHandler(previous);
    }
  });

  it('reports a large error when back-propagation is wrong', () => {
    const rng = new Rng(5);
    const model = Sequential.mlp({
      inputs: 3,
      hidden: [4],
      outputs: 2,
      task: 'regression',
      activation: 'tanh',
      seed: 5,
    });
    const [x, y] = data(rng, 6, 3, 2, 'real');
    // Break Dense.backward for every instance (gradCheck works on a float64 copy of the model).
    const original = Dense.prototype.backward;
    Dense.prototype.backward = function (this: Dense, d, options) {
      const out = original.call(this, d, options);
      this.biasGrad.data[0] = this.biasGrad.data[0]! * 1.1;
      return out;
    };
    try {
      const report = gradCheck(model, x, y);
      expect(report.passed).toBe(false);
      const bias = report.tensors.filter((t) => t.name.endsWith('bias'));
      expect(Math.max(...bias.map((t) => t.relativeError))).toBeGreaterThan(1e-3);
    } finally {
      Dense.prototype.backward = original;
    }
  });
});
