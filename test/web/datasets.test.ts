// The generated data sets: seeded, deterministic, labelled as described, split as configured.
import { describe, expect, it } from 'vitest';
import { type DatasetName, DEFAULT_CONFIG } from '../../web/src/config.js';
import { bumps, generateData } from '../../web/src/datasets.js';

const names: DatasetName[] = ['circle', 'xor', 'gauss', 'spiral', 'surface', 'multigauss'];
const config = (dataset: DatasetName, seed = 3, noise = 0.1) => ({
  ...DEFAULT_CONFIG,
  dataset,
  seed,
  noise,
  points: 200,
  trainRatio: 0.7,
});

describe('generateData', () => {
  it.each(names)('%s: the same seed gives identical data and split, another seed different data', (name) => {
    const a = generateData(config(name));
    const b = generateData(config(name));
    const c = generateData(config(name, 4));
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
    expect(Array.from(a.trainIdx)).toEqual(Array.from(b.trainIdx));
    expect(Array.from(a.x)).not.toEqual(Array.from(c.x));
    expect(a.n).toBe(200);
    expect(a.trainIdx.length).toBe(140);
    expect(new Set([...a.trainIdx, ...a.testIdx]).size).toBe(200);
  });

  it('labels XOR by the sign of x1·x2 when there is no noise', () => {
    const d = generateData(config('xor', 5, 0));
    for (let i = 0; i < d.n; i++) expect(d.y[i]).toBe(d.x[2 * i]! * d.x[2 * i + 1]! > 0 ? 1 : 0);
  });

  it('puts class 1 of the circle inside radius 2.5 and class 0 outside 3.5 without noise', () => {
    const d = generateData(config('circle', 6, 0));
    for (let i = 0; i < d.n; i++) {
      const r = Math.hypot(d.x[2 * i]!, d.x[2 * i + 1]!);
      if (d.y[i] === 1) expect(r).toBeLessThanOrEqual(2.5 + 1e-5);
      else expect(r).toBeGreaterThanOrEqual(3.5 - 1e-5);
    }
  });

  it('balances the classes and keeps generated points near the plotted square', () => {
    for (const name of ['circle', 'xor', 'gauss', 'spiral'] as const) {
      const d = generateData(config(name));
      const ones = d.y.reduce((s, v) => s + v, 0);
      expect(ones / d.n).toBeGreaterThan(0.35);
      expect(ones / d.n).toBeLessThan(0.65);
      expect(d.regression).toBe(false);
    }
    const s = generateData(config('surface', 1, 0));
    expect(s.regression).toBe(true);
    for (let i = 0; i < s.n; i++)
      expect(s.y[i]).toBeCloseTo(Math.sin(0.6 * s.x[2 * i]!) * Math.cos(0.6 * s.x[2 * i + 1]!), 5);
  });

  it('multi-Gaussian: signed bumps at their centres, zero between them, targets from the exact points without noise', () => {
    expect([bumps(-4, 2.5), bumps(0, 2.5), bumps(4, -2.5), bumps(0, -2.5)]).toEqual([1, -1, -1, 1]);
    expect(bumps(-4, 3.5)).toBeCloseTo(0.5, 12); // distance 1 of 2
    expect(bumps(-2, 0)).toBe(0); // 3.2 from every centre
    expect(bumps(-2, 2.5)).toBe(0); // exactly 2 from two bumps
    const d = generateData(config('multigauss', 2, 0));
    expect(d.regression).toBe(true);
    for (let i = 0; i < d.n; i++) expect(d.y[i]).toBeCloseTo(bumps(d.x[2 * i]!, d.x[2 * i + 1]!), 5);
    const signs = new Set(Array.from(d.y, Math.sign));
    expect(signs).toEqual(new Set([-1, 0, 1]));
  });

  it('reads CSV rows from the configuration, with a padded domain per feature', () => {
    const d = generateData({
      ...DEFAULT_CONFIG,
      dataset: 'csv',
      csv: '0_10_0*1_20_1*2_30_0*3_40_1*4_50_1',
      trainRatio: 0.6,
    });
    expect(d.n).toBe(5);
    expect(d.trainIdx.length).toBe(3);
    expect(d.domain[0][0]).toBeLessThan(0);
    expect(d.domain[0][1]).toBeGreaterThan(4);
    expect(d.domain[1][0]).toBeLessThan(10);
    expect(d.domain[1][1]).toBeGreaterThan(50);
    expect(() => generateData({ ...DEFAULT_CONFIG, dataset: 'csv', csv: 'garbage' })).toThrow(/malformed/);
  });
});
