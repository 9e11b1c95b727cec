// The tour's computations against hand formulas: the neuron, the shapes, the losses and their
// derivatives, the δ recursion against the library's gradients, the momentum forms, w^L chains,
// zero-initialised symmetry and the central difference's error curve.
import { describe, expect, it } from 'vitest';
import { Sequential, Tensor } from '../../src/index.js';
import { deltaRecursion, largestDifference } from '../../web/src/tour/calc/backprop.js';
import { forwardShapes, gridPoints, lossAt, neuron } from '../../web/src/tour/calc/forward.js';
import {
  centralDifferenceErrors,
  chain,
  checkVerdict,
  EPSILON_EXPONENTS,
  layerGradientNorms,
} from '../../web/src/tour/calc/gradients.js';
import {
  batchVersusMiniBatch,
  bowlPath,
  hiddenAfterTraining,
  lossCurve,
  scalingCurves,
  twoClasses,
} from '../../web/src/tour/calc/training.js';

describe('forward pass', () => {
  it('a neuron is g(w·x + b)', () => {
    const { z, a } = neuron(
      [2, -1],
      0.5,
      'sigmoid',
      Tensor.from(
        [
          [1, 3],
          [0, 0],
        ],
        undefined,
        'float64',
      ),
    );
    expect(z).toEqual([-0.5, 0.5]);
    expect(a[0]).toBeCloseTo(1 / (1 + Math.exp(0.5)), 15);
    expect(gridPoints(3).toArray()).toEqual([
      [-2, 2],
      [0, 2],
      [2, 2],
      [-2, 0],
      [0, 0],
      [2, 0],
      [-2, -2],
      [0, -2],
      [2, -2],
    ]);
  });

  it('the 2-3-1 network has the notes’ shapes, and Z^[1] = W^[1] A^[0] + b^[1]', () => {
    const mats = forwardShapes(5, 1);
    const shape = Object.fromEntries(mats.map((m) => [m.name, `${m.rows}×${m.cols}`]));
    expect(shape).toEqual({
      'A^[0] = X': '2×5',
      'W^[1]': '3×2',
      'b^[1]': '3×1',
      'Z^[1]': '3×5',
      'A^[1]': '3×5',
      'W^[2]': '1×3',
      'b^[2]': '1×1',
      'Z^[2]': '1×5',
      'A^[2]': '1×5',
    });
    const [X, W, b, Z, A] = mats;
    for (let i = 0; i < 3; i++)
      for (let k = 0; k < 5; k++) {
        expect(Z!.values[i]![k]).toBeCloseTo(
          W!.values[i]![0]! * X!.values[0]![k]! + W!.values[i]![1]! * X!.values[1]![k]! + b!.values[i]![0]!,
          12,
        );
        expect(A!.values[i]![k]).toBeCloseTo(Math.tanh(Z!.values[i]![k]!), 12);
      }
  });

  it('losses and their derivatives match the formulas', () => {
    const p = 0.3;
    expect(lossAt('binary_crossentropy', p, 1).loss).toBeCloseTo(-Math.log(p), 6);
    expect(lossAt('binary_crossentropy', p, 1).derivative).toBeCloseTo(-1 / p, 5);
    expect(lossAt('categorical_crossentropy', p, 1).loss).toBeCloseTo(-Math.log(p), 6);
    expect(lossAt('mse', p, 1)).toEqual({ loss: expect.closeTo(0.49, 12), derivative: expect.closeTo(-1.4, 12) });
    expect(lossAt('mae', p, 1)).toEqual({ loss: expect.closeTo(0.7, 12), derivative: -1 });
  });
});

describe('back-propagation', () => {
  it.each(['tanh', 'sigmoid', 'relu'] as const)('the δ recursion gives the library’s gradients (%s)', (act) => {
    const steps = deltaRecursion(act, 3);
    expect(steps.map((s) => s.layer)).toEqual([3, 2, 1]);
    expect(steps.map((s) => s.delta.length)).toEqual([1, 2, 3]);
    expect(largestDifference(steps)).toBeLessThan(1e-12);
    expect(Math.max(...steps[0]!.libraryGrad.flat().map(Math.abs))).toBeGreaterThan(1e-3);
  });
});

describe('training comparisons', () => {
  it('batch and mini-batch descent both lower the loss; mini-batches take more steps per epoch', () => {
    const { batch, mini } = batchVersusMiniBatch(20, 8, 0.5, 1);
    expect(batch).toHaveLength(21);
    expect(batch[20]).toBeLessThan(batch[0]!);
    expect(mini[20]).toBeLessThan(batch[20]!);
  });

  it('a batch loss curve from one fit call equals the loss measured after every epoch', () => {
    const { x, y } = twoClasses(32, 5);
    const model = (): Sequential =>
      Sequential.mlp({
        inputs: 2,
        hidden: [4],
        outputs: 1,
        task: 'multilabel',
        activation: 'tanh',
        seed: 5,
        dtype: 'float64',
      }).compile({ loss: 'bce', optimizer: { name: 'sgd', lr: 0.5 } });
    const stepwise = model();
    const measured = [stepwise.computeLoss(x, y)];
    for (let e = 0; e < 6; e++) {
      stepwise.fit(x, y, { epochs: 1, batchSize: 'all' });
      measured.push(stepwise.computeLoss(x, y));
    }
    const curve = lossCurve(model(), x, y, 6, 'all', 0);
    curve.forEach((v, i) => expect(v).toBeCloseTo(measured[i]!, 12));
  });

  it('momentum: the notes’ first step is (1 − β)αg, PyTorch’s is αg', () => {
    const ema = bowlPath('momentum', 0.9, 0.01, 1).path[1]!;
    const classic = bowlPath('sgd', 0.9, 0.01, 1).path[1]!;
    expect(ema[0]).toBeCloseTo(-4 + 0.1 * 0.01 * 4, 12);
    expect(classic[0]).toBeCloseTo(-4 + 0.01 * 4, 12);
    expect(bowlPath('sgd', 0.9, 0.01, 100).losses[100]).toBeLessThan(bowlPath('momentum', 0.9, 0.01, 100).losses[100]!);
  });

  it('standardising a badly scaled feature trains faster', () => {
    const { raw, standardised } = scalingCurves(50, 20, 30, 1);
    expect(standardised[30]).toBeLessThan(raw[30]!);
  });

  it('zero initialisation keeps the hidden neurons identical; random does not', () => {
    const zero = hiddenAfterTraining('zeros', 20, 1);
    expect(zero.identical).toBe(true);
    expect(zero.warning).toMatch(/zero initialisation.*identical/);
    expect(zero.rows[0]!.some((v) => v !== 0)).toBe(true);
    expect(hiddenAfterTraining('glorot_uniform', 20, 1)).toMatchObject({ identical: false, warning: null });
  });
});

describe('gradients through depth and gradient checking', () => {
  it('a chain of 50 identity layers multiplies by w^50, forwards and backwards', () => {
    expect(chain(1.5, 50).output / 1.5 ** 50).toBeCloseTo(1, 12);
    expect(chain(1.5, 50).inputGradient).toBeCloseTo(6.376e8, -5);
    expect(chain(0.5, 50).inputGradient).toBeCloseTo(8.88e-16, 18);
  });

  it('small uniform weights vanish towards the input of a deep sigmoid network; Glorot (tanh) and He (relu) keep them', () => {
    const uniform = layerGradientNorms('sigmoid', 'uniform', 10, 1);
    expect(uniform).toHaveLength(11);
    expect(uniform[0]! / uniform[10]!).toBeLessThan(1e-10);
    for (const [act, init] of [
      ['tanh', 'glorot_normal'],
      ['relu', 'he_normal'],
    ] as const) {
      const norms = layerGradientNorms(act, init, 10, 1);
      expect(norms[0]! / norms[10]!).toBeGreaterThan(0.1);
      expect(norms[0]! / norms[10]!).toBeLessThan(10);
    }
  });

  it('the central difference’s error is smallest near ε = 1e-5, larger for truncation and round-off', () => {
    const { errors } = centralDifferenceErrors(2);
    const at = (e: number): number => errors[EPSILON_EXPONENTS.indexOf(e)]!;
    expect(at(-5)).toBeLessThan(1e-9);
    expect(at(-1)).toBeGreaterThan(100 * at(-5));
    expect(at(-12)).toBeGreaterThan(100 * at(-5));
    expect(checkVerdict(2, 1e-6).passed).toBe(true);
    expect(checkVerdict(2, 1e-1).passed).toBe(false);
  });
});
