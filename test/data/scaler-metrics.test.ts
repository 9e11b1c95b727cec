// Scalers and metrics compared with scikit-learn's numbers (test/fixtures/sklearn_metrics.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMetric, MinMaxScaler, StandardScaler, scalerFromJSON, Tensor } from '../../src/index.js';
import { expectAllClose, flat } from '../helpers/allclose.js';

const sk = JSON.parse(readFileSync(new URL('../fixtures/sklearn_metrics.json', import.meta.url), 'utf8'));
const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

describe('scalers match scikit-learn', () => {
  const X = Tensor.from(sk.scalers.X, undefined, 'float64');
  it('StandardScaler: population σ, constant column scaled by 1 (no NaN)', () => {
    const s = StandardScaler.fit(X);
    expectAllClose(s.mean, sk.scalers.standard_scaler.mean_, 1e-12);
    expectAllClose(s.scale, sk.scalers.standard_scaler.scale_, 1e-12);
    expectAllClose(s.transform(X).data, flat(sk.scalers.standard_scaler.transformed), 1e-12, 1e-14);
  });
  it('MinMaxScaler: constant column maps to 0', () => {
    const s = MinMaxScaler.fit(X);
    expectAllClose(s.min, sk.scalers.minmax_scaler.data_min_, 1e-12);
    expectAllClose(s.transform(X).data, flat(sk.scalers.minmax_scaler.transformed), 1e-12, 1e-14);
  });
  it('round-trips through JSON', () => {
    const s = StandardScaler.fit(X);
    expect(scalerFromJSON(JSON.parse(JSON.stringify(s.toJSON()))).toJSON()).toEqual(s.toJSON());
    expect(() => scalerFromJSON({ type: 'robust' } as never)).toThrow(/unknown scaler type 'robust'/);
  });
});

describe('metrics match scikit-learn', () => {
  for (const c of asArray(sk.classification) as {
    name: string;
    labels: number[];
    y_true: number[];
    y_pred: number[];
    accuracy_score: number;
  }[]) {
    it(`accuracy (${c.name})`, () => {
      const k = c.labels.length;
      const oneHot = (v: number[]): Float64Array => {
        const out = new Float64Array(v.length * k);
        v.forEach((label, r) => (out[r * k + c.labels.indexOf(label)] = 1));
        return out;
      };
      const acc = createMetric('accuracy');
      acc.update(oneHot(c.y_pred), oneHot(c.y_true), c.y_true.length, k);
      expect(acc.result()).toBeCloseTo(c.accuracy_score, 14);
    });
  }
  for (const c of asArray(sk.regression) as {
    name: string;
    y_true: number[];
    y_pred: number[];
    r2_score: number;
    mean_squared_error: number;
    mean_absolute_error: number;
  }[]) {
    it(`r2, mse, mae (${c.name}), accumulated over two batches`, () => {
      const half = Math.floor(c.y_true.length / 2);
      for (const [name, expected] of [
        ['r2', c.r2_score],
        ['mse', c.mean_squared_error],
        ['mae', c.mean_absolute_error],
      ] as const) {
        const m = createMetric(name);
        m.update(Float64Array.from(c.y_pred.slice(0, half)), Float64Array.from(c.y_true.slice(0, half)), half, 1);
        m.update(
          Float64Array.from(c.y_pred.slice(half)),
          Float64Array.from(c.y_true.slice(half)),
          c.y_true.length - half,
          1,
        );
        expect(m.result(), name).toBeCloseTo(expected, 12);
      }
    });
  }
});
