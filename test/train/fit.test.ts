// fit(): history, validation, batch sizes, schedules, early stopping, divergence, reproducibility.
import { describe, expect, it } from 'vitest';
import { type Callback, EarlyStopping, Rng, Sequential, StandardScaler, Tensor } from '../../src/index.js';
import { blobs } from '../helpers/blobs.js';

const model = (seed = 1): Sequential => {
  const m = Sequential.mlp({ inputs: 2, hidden: [8], outputs: 3, task: 'classification', activation: 'relu', seed });
  m.compile({ loss: 'cce', optimizer: { name: 'adam', lr: 0.01 } });
  return m;
};

describe('fit', () => {
  it('returns one entry per epoch with loss, accuracy, validation metrics, lr and seconds', () => {
    const { x, y } = blobs(1);
    const { history, stopReason } = model().fit(x, y, { epochs: 30, batchSize: 16, validationSplit: 0.25, seed: 3 });
    expect(stopReason).toBeNull();
    expect(history.map((h) => h.epoch)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(Object.keys(history[0]!).sort()).toEqual([
      'accuracy',
      'epoch',
      'loss',
      'lr',
      'seconds',
      'val_accuracy',
      'val_loss',
    ]);
    expect(history[29]!.loss).toBeLessThan(history[0]!.loss);
    expect(history[29]!.val_accuracy).toBeGreaterThan(0.9);
  });

  it('the same seed gives bit-identical runs; another seed a different one', () => {
    const { x, y } = blobs(2);
    const run = (seed: number): number[] => {
      const m = Sequential.mlp({ inputs: 2, hidden: [8], outputs: 3, task: 'classification', dropout: 0.3, seed: 5 });
      m.compile({ loss: 'cce', optimizer: 'sgd' });
      m.fit(x, y, { epochs: 3, batchSize: 10, seed });
      return Array.from(m.parameters()[0]!.value.data);
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it("batchSize 'all' takes one step per epoch (batch gradient descent)", () => {
    const { x, y } = blobs(3);
    const m = model();
    let batches = 0;
    const counter: Callback = { onBatchEnd: () => void batches++ };
    m.fit(x, y, { epochs: 4, batchSize: 'all', callbacks: [counter] });
    expect(batches).toBe(4);
    expect(m.optimizer.steps).toBe(4);
    batches = 0;
    m.fit(x, y, { epochs: 1, batchSize: 50, callbacks: [counter] }); // 120 = 50 + 50 + 20
    expect(batches).toBe(3);
  });

  it('applies a learning-rate schedule per epoch and restores the base rate', () => {
    const { x, y } = blobs(4);
    const m = model();
    const { history } = m.fit(x, y, { epochs: 4, schedule: { name: 'step', stepSize: 2, gamma: 0.5 } });
    expect(history.map((h) => h.lr)).toEqual([0.01, 0.01, 0.005, 0.005]);
    expect(m.optimizer.lr).toBe(0.01);
  });

  it('early stopping halts after `patience` epochs without improvement and restores the best weights', () => {
    const { x, y } = blobs(5);
    const m = model();
    m.compile({ loss: 'cce', optimizer: { name: 'sgd', lr: 0 } }); // lr 0: val_loss never improves after epoch 1
    const stopper = new EarlyStopping({ patience: 2 });
    const { history, stopReason } = m.fit(x, y, { epochs: 20, validationSplit: 0.2, callbacks: [stopper] });
    expect(history.length).toBe(4);
    expect(stopReason).toMatch(/val_loss did not improve for 2 epochs/);
    expect(stopper.bestEpoch).toBe(1);
  });

  it('restores the weights of the best epoch', () => {
    const { x, y } = blobs(6);
    const m = model();
    const snapshots: number[][] = [];
    const recorder: Callback = { onEpochEnd: (_, s) => void snapshots.push(Array.from(s.parameters()[0]!.value.data)) };
    const stopper = new EarlyStopping({ monitor: 'loss', patience: 100, restoreBestWeights: true });
    const { history } = m.fit(x, y, { epochs: 6, callbacks: [recorder, stopper] });
    const best = history.reduce((b, h) => (h.loss < b.loss ? h : b));
    expect(Array.from(m.parameters()[0]!.value.data)).toEqual(snapshots[best.epoch - 1]);
  });

  it('stops on a NaN loss with a message and keeps the last good weights', () => {
    const { x } = blobs(7);
    const big = new Tensor(
      x.data.map((v) => v * 1e30),
      x.shape,
    );
    const m = Sequential.mlp({ inputs: 2, hidden: [8], outputs: 1, task: 'regression', seed: 1 });
    m.compile({ loss: 'mse', optimizer: { name: 'sgd', lr: 10 } });
    const yr = Tensor.from(
      Array.from({ length: 120 }, (_, i) => i),
      [120, 1],
    );
    const before = Array.from(m.parameters()[0]!.value.data);
    const { stopReason, history, diverged } = m.fit(big, yr, { epochs: 5, batchSize: 8 });
    expect(stopReason).toMatch(/the loss became (NaN|Infinity) at epoch 1, batch \d+/);
    expect(diverged).toBe(true);
    expect(history.length).toBe(0);
    expect(Array.from(m.parameters()[0]!.value.data)).toEqual(before);
    expect(m.parameters().every((p) => p.value.data.every(Number.isFinite))).toBe(true);
  });

  it('epochs 0 trains nothing', () => {
    const { x, y } = blobs(8);
    const m = model();
    const before = Array.from(m.parameters()[0]!.value.data);
    expect(m.fit(x, y, { epochs: 0 }).history).toEqual([]);
    expect(Array.from(m.parameters()[0]!.value.data)).toEqual(before);
  });

  it('flattens image-shaped inputs: a [m, 4, 4, 3] batch is 48 features', () => {
    const rng = new Rng(1);
    const x = Tensor.from(
      Array.from({ length: 10 * 48 }, () => rng.uniform()),
      [10, 4, 4, 3],
    );
    const y = Tensor.from(
      Array.from({ length: 10 }, (_, i) => i % 2),
      [10, 1],
    );
    const m = Sequential.mlp({ inputs: 48, hidden: [4], outputs: 1, task: 'multilabel', seed: 1 });
    expect(m.fit(x, y, { epochs: 1 }).history.length).toBe(1);
    expect(m.predict(x).shape).toEqual([10, 1]);
  });

  it('rejects bad data with errors that name the problem', () => {
    const { x, y } = blobs(9);
    const m = model();
    expect(() => m.fit(x, Tensor.zeros([119, 3]))).toThrow(/x has 120 examples but y has 119/);
    expect(() => m.fit(Tensor.zeros([5, 3]), Tensor.zeros([5, 3]))).toThrow(/input has 3 features, expected 2/);
    const bad = x.clone();
    bad.data[7] = NaN;
    expect(() => m.fit(bad, y)).toThrow(/NaN at row 3, column 1/);
    expect(() => m.fit(x, y, { batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
    expect(() => m.fit(x, y, { validationSplit: 1.5 })).toThrow(/validationSplit must be in \[0, 1\)/);
    expect(() => m.compile({ loss: 'hinge' as 'mse' })).toThrow(/unknown loss 'hinge'/);
    expect(() => Sequential.mlp({ inputs: 2, hidden: [3], outputs: 1, activation: 'swish' as 'relu' })).toThrow(
      /unknown activation 'swish'/,
    );
    const u = Sequential.mlp({ inputs: 2, hidden: [3], outputs: 3 });
    // An unknown optimiser fails at compile, not later at fit.
    expect(() => u.compile({ loss: 'cce', optimizer: 'adagrad' as 'adam' })).toThrow(/unknown optimizer 'adagrad'/);
  });
});

describe('the scaler applies everywhere', () => {
  it('fit, evaluate, predict, computeLoss and trainStep all see standardised inputs', () => {
    const { x, y } = blobs(10);
    const shifted = new Tensor(
      x.data.map((v) => v * 50 + 1000),
      x.shape,
    );
    const m = model();
    m.scaler = StandardScaler.fit(shifted);
    m.fit(shifted, y, { epochs: 20, batchSize: 16 });
    const evaluated = m.evaluate(shifted, y).loss!;
    // evaluate uses probabilities, computeLoss the logits: equal up to float32 rounding.
    expect(m.computeLoss(shifted, y)).toBeCloseTo(evaluated, 4);
    expect(evaluated).toBeLessThan(0.3);
    expect(m.trainStep(shifted, y)).toBeCloseTo(evaluated, 4);
  });
});
