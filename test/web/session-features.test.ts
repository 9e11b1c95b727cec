// The session with TensorFlow Playground's extras: input features that make the circle linearly
// separable, and an L1 penalty that leaves more weights near zero than none or L2 does.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../../web/src/config.js';
import { generateData } from '../../web/src/datasets.js';
import { Session } from '../../web/src/session.js';

function trained(config: PlaygroundConfig, epochs: number): Session {
  const s = new Session(config, generateData(config));
  for (let i = 0; i < epochs * s.batchesPerEpoch; i++) s.trainStep();
  return s;
}

describe('Session features and penalties', () => {
  it('without hidden layers, x₁² and x₂² separate the circle and x₁, x₂ cannot', () => {
    const circle: PlaygroundConfig = { ...DEFAULT_CONFIG, dataset: 'circle', hidden: [], noise: 0, seed: 5 };
    const squares = trained({ ...circle, features: ['x1sq', 'x2sq'] }, 30);
    const plain = trained(circle, 30);
    const sq = squares.snapshot(),
      pl = plain.snapshot();
    expect(sq.layers[0]!.inputs).toBe(2);
    expect(sq.testMetric).toBeGreaterThan(0.97);
    expect(pl.testMetric).toBeLessThan(0.8);
    // The boundary grid goes through the same features: its output is high at the centre, low at a corner.
    const g = sq.gridSize,
      centre = (g / 2) * g + g / 2;
    expect(sq.output[centre]!).toBeGreaterThan(0.9);
    expect(sq.output[0]!).toBeLessThan(0.1);
  });

  it('feeds every chosen feature to the network, in a fixed order', () => {
    const config: PlaygroundConfig = {
      ...DEFAULT_CONFIG,
      features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'],
      hidden: [3],
    };
    const s = new Session(config, generateData(config));
    expect(s.snapshot().layers[0]!.inputs).toBe(7);
    const loss = s.trainStep();
    expect(Number.isFinite(loss)).toBe(true);
  });

  it('L1 drives more first-layer weights to near zero than no penalty or L2 with the same λ', () => {
    const base: PlaygroundConfig = {
      ...DEFAULT_CONFIG,
      dataset: 'circle',
      features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'],
      hidden: [6],
      optimizer: 'sgd',
      lr: 0.1,
      seed: 3,
    };
    const nearZero = (s: Session): number =>
      Array.from(s.snapshot().layers[0]!.weight).filter((w) => Math.abs(w) < 0.01).length;
    const l1 = trained({ ...base, l1: 0.01 }, 40);
    const none = trained(base, 40);
    const l2 = trained({ ...base, l2: 0.01 }, 40);
    expect(nearZero(l1)).toBeGreaterThan(nearZero(none) + 5);
    expect(nearZero(l1)).toBeGreaterThan(nearZero(l2) + 5);
    expect(l1.snapshot().testMetric).toBeGreaterThan(0.9);
  });

  it('takes a new L1 penalty live: same weights and step count, a fresh optimiser', () => {
    const s = trained(DEFAULT_CONFIG, 2);
    const step = s.step;
    s.updateHyperParameters({ ...DEFAULT_CONFIG, l1: 0.05 });
    expect(s.step).toBe(step);
    expect(s.model.optimizer.l1).toBe(0.05);
    expect(s.model.optimizer.steps).toBe(0);
  });
});
