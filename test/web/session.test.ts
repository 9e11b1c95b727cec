// The training session behind the page: reproducible runs, real learning, and the teaching views' claims.
import { afterEach, describe, expect, it } from 'vitest';
import { setWarningHandler } from '../../src/index.js';
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../../web/src/config.js';
import { generateData } from '../../web/src/datasets.js';
import { neuronsIdentical, Session } from '../../web/src/session.js';

const xor: PlaygroundConfig = { ...DEFAULT_CONFIG, dataset: 'xor', hidden: [4, 8, 8], seed: 2, noise: 0.05 };

const session = (config: PlaygroundConfig): Session => new Session(config, generateData(config));

function run(config: PlaygroundConfig, steps: number): Session {
  const s = session(config);
  for (let i = 0; i < steps; i++) s.trainStep();
  return s;
}

describe('Session', () => {
  it('gives bit-identical losses and weights for the same configuration', () => {
    const a = run(xor, 60).snapshot();
    const b = run(xor, 60).snapshot();
    expect(a.trainLoss).toBe(b.trainLoss);
    expect(a.testLoss).toBe(b.testLoss);
    expect(Array.from(a.layers[1]!.weight)).toEqual(Array.from(b.layers[1]!.weight));
    const c = run({ ...xor, seed: 3 }, 60).snapshot();
    expect(c.testLoss).not.toBe(a.testLoss);
  });

  it('counts epochs by batches and learns XOR (test BCE well below chance)', () => {
    const s = session(xor);
    const before = s.snapshot().testLoss;
    expect(before).toBeGreaterThan(0.5);
    expect(s.batchesPerEpoch).toBe(Math.ceil(240 / 10));
    for (let i = 0; i < s.batchesPerEpoch * 40; i++) s.trainStep();
    const after = s.snapshot();
    expect(after.epoch).toBe(40);
    expect(after.testLoss).toBeLessThan(0.3);
    expect(after.testMetric).toBeGreaterThan(0.9);
    expect(after.history.epochs).toEqual(Array.from({ length: 41 }, (_, i) => i));
    expect(after.history.gradNorms).toHaveLength(4);
    expect(after.history.gradNorms.every((g) => g.slice(1).every((v) => v > 0))).toBe(true);
  });

  it('takes the whole training set per step with gradient descent', () => {
    const s = session({ ...xor, optimizer: 'gd', lr: 0.3 });
    expect(s.batchSize).toBe(240);
    s.trainStep();
    expect(s.epoch).toBe(1);
  });

  it('takes the batches of the loop it had before the library drove it, through a live batch-size change', () => {
    // Recorded from the playground's own shuffle-and-batch loop (commit f71e0e8): 37 steps of 10, then
    // lr 0.01 and batches of 7 from the middle of epoch 2 on, 50 steps. A link's steps=N replays this path.
    const s = run(xor, 37);
    s.updateHyperParameters({ ...xor, batchSize: 7, lr: 0.01 });
    expect(s.batchSize).toBe(7);
    for (let i = 0; i < 50; i++) s.trainStep();
    const snap = s.snapshot();
    expect([snap.step, snap.epoch]).toEqual([87, 2]);
    expect(snap.trainLoss).toBe(0.4291217436565403);
    expect(snap.testLoss).toBe(0.46640886420612987);
    expect(Array.from(snap.layers[1]!.weight.slice(0, 3))).toEqual([
      -0.6546271443367004, 0.3799903988838196, -0.2217288613319397,
    ]);
  });

  it('a new optimiser keeps the weights and the step count; the next step uses it', () => {
    const s = run(xor, 30);
    const before = s.snapshot();
    s.updateHyperParameters({ ...xor, optimizer: 'momentum', lr: 0.1 });
    const after = s.snapshot();
    expect(after.step).toBe(30);
    expect(Array.from(after.layers[0]!.weight)).toEqual(Array.from(before.layers[0]!.weight));
    s.trainStep();
    expect(s.step).toBe(31);
    expect(s.walkthrough().optimizer).toBe('momentum');
  });

  it('stops on a diverging loss and keeps finite weights', () => {
    const s = session({
      ...DEFAULT_CONFIG,
      dataset: 'surface',
      identity: true,
      optimizer: 'sgd',
      lr: 10,
      standardize: false,
      x2Scale: 1000,
    });
    for (let i = 0; i < 200 && !s.isDiverged; i++) s.trainStep();
    const snap = s.snapshot();
    expect(snap.diverged).toBe(true);
    expect(snap.layers.every((l) => l.weight.every(Number.isFinite))).toBe(true);
  });

  let restore: (() => void) | null = null;
  afterEach(() => restore?.());

  it('keeps every neuron of a layer identical under zero initialisation', () => {
    const warnings: string[] = [];
    const previous = setWarningHandler((m) => warnings.push(m));
    restore = () => setWarningHandler(previous);
    const s = run({ ...xor, zeroInit: true, activation: 'sigmoid' }, 100);
    const snap = s.snapshot();
    expect(snap.identical).toEqual([true, true, true]);
    expect(warnings[0]).toMatch(/zero initialisation/);
    // The hidden weights did move (sigmoid(0) = 0.5 passes gradient), yet stayed equal.
    expect(snap.layers[1]!.weight.some((w) => w !== 0)).toBe(true);
    expect(run(xor, 5).snapshot().identical).toEqual([false, false, false]);
  });

  it('draws a straight boundary with identity activations: the output logit is affine on the grid', () => {
    const snap = run({ ...xor, identity: true }, 200).snapshot();
    const g = snap.gridSize;
    const logit = (i: number): number => Math.log(snap.output[i]! / (1 - snap.output[i]!));
    // An affine function has zero second differences along rows and columns.
    let worst = 0;
    for (let r = 0; r < g; r += 7)
      for (let c = 1; c < g - 1; c++) {
        worst = Math.max(worst, Math.abs(logit(r * g + c - 1) - 2 * logit(r * g + c) + logit(r * g + c + 1)));
      }
    expect(worst).toBeLessThan(1e-3);
    // and a non-linear network's boundary is not affine
    const curved = run(xor, 200).snapshot();
    const lc = (i: number): number => Math.log(curved.output[i]! / (1 - curved.output[i]!));
    let bend = 0;
    for (let c = 1; c < g - 1; c++) bend = Math.max(bend, Math.abs(lc(c - 1) - 2 * lc(c) + lc(c + 1)));
    expect(bend).toBeGreaterThan(1e-2);
  });

  it('passes the gradient check on the current weights', () => {
    const report = run(xor, 20).gradCheck();
    expect(report.tensors.map((t) => t.name)).toEqual([
      'layers.0.weight',
      'layers.0.bias',
      'layers.1.weight',
      'layers.1.bias',
      'layers.2.weight',
      'layers.2.bias',
      'layers.3.weight',
      'layers.3.bias',
    ]);
    expect(report.passed).toBe(true);
  });

  it('trains the regression surface and a two-unit softmax', () => {
    const surface = run({ ...DEFAULT_CONFIG, dataset: 'surface', hidden: [8, 8], output: 'sigmoid_bce' }, 0);
    expect(surface.output).toBe('linear_mse');
    const start = surface.snapshot().testLoss;
    for (let i = 0; i < 24 * 60; i++) surface.trainStep();
    const fitted = surface.snapshot();
    expect(fitted.testLoss).toBeLessThan(start / 2);
    expect(fitted.metricName).toBe('R²');
    expect(fitted.testMetric).toBeGreaterThan(0.5);
    const softmax = run({ ...xor, output: 'softmax_cce' }, 24 * 30).snapshot();
    expect(softmax.layers.at(-1)!.outputs).toBe(2);
    expect(softmax.testLoss).toBeLessThan(0.3);
    expect(softmax.output.every((p) => p >= 0 && p <= 1)).toBe(true);
  });

  it('thins the history to a bounded, timing-independent set of epochs', () => {
    const s = run({ ...xor, hidden: [2], optimizer: 'gd', lr: 0.1 }, 900);
    const { epochs } = s.snapshot().history;
    expect(epochs.length).toBeLessThan(400);
    expect(epochs[0]).toBe(0);
    expect(epochs.every((e) => e % 4 === 0)).toBe(true);
  });

  it('neuronsIdentical compares whole rows and biases', () => {
    expect(neuronsIdentical([1, 2, 1, 2], [0, 0], 2)).toBe(true);
    expect(neuronsIdentical([1, 2, 1, 3], [0, 0], 2)).toBe(false);
    expect(neuronsIdentical([1, 2, 1, 2], [0, 1], 2)).toBe(false);
  });
});

describe('a badly scaled feature (x₂·50 + 20)', () => {
  it('slows plain gradient descent without standardisation; standardising undoes it', () => {
    const base: PlaygroundConfig = {
      ...DEFAULT_CONFIG,
      dataset: 'gauss',
      hidden: [4],
      optimizer: 'sgd',
      lr: 0.03,
      seed: 3,
    };
    const loss = (c: Partial<PlaygroundConfig>): number => run({ ...base, ...c }, 300).snapshot().trainLoss;
    const scaledRaw = loss({ x2Scale: 50, x2Offset: 20, standardize: false, lr: 0.0005 });
    const plain = loss({ standardize: true });
    const scaledStandardised = loss({ x2Scale: 50, x2Offset: 20, standardize: true });
    // Standardisation removes the scale exactly (up to float32 rounding).
    expect(scaledStandardised).toBeCloseTo(plain, 4);
    expect(scaledRaw).toBeGreaterThan(2 * plain);
  });
});
