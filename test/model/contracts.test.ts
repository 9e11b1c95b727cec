// Contracts of the model API: clear errors at the call that is wrong, defaults from one source, and
// an R² that does not cancel on targets with a large mean.
import { describe, expect, it } from 'vitest';
import { defaultLr } from '../../src/cli/build-model.js';
import {
  createMetric,
  createOptimizer,
  DEFAULT_LEARNING_RATES,
  OPTIMIZERS,
  Sequential,
  Tensor,
} from '../../src/index.js';
import { cli } from '../cli/helpers.js';

describe('Sequential', () => {
  const model = (): Sequential => Sequential.mlp({ inputs: 2, hidden: [3], outputs: 1, task: 'regression', seed: 1 });

  it('evaluate(x) without targets says what it needs', () => {
    expect(() => model().evaluate(Tensor.from([[1, 2]]))).toThrow(
      /evaluate: a Tensor x needs its targets y \(got none\)/,
    );
  });

  it('compile rejects an unknown optimiser or a bad hyper-parameter at once, not at fit', () => {
    expect(() => model().compile({ loss: 'mse', optimizer: 'adamm' as 'adam' })).toThrow(/adamm/);
    expect(() => model().compile({ loss: 'mse', optimizer: { name: 'adam', lr: -1 } })).toThrow(/-1/);
    expect(() => model().compile({ loss: 'mse', optimizer: { name: 'sgd', momentum: 1.5 } })).toThrow(/1\.5/);
  });
});

describe('default learning rates', () => {
  it('the library, the CLI and its help text agree', async () => {
    const help = (await cli('train', '--help')).out.replace(/\s+/g, ' ');
    for (const name of OPTIMIZERS) {
      const lr = createOptimizer(name, []).lr;
      expect(lr, name).toBe(DEFAULT_LEARNING_RATES[name]);
      expect(defaultLr(name), name).toBe(lr);
      expect(help).toContain(`${name} ${lr}`);
    }
  });
});

describe('R²', () => {
  it('matches the two-pass formula on targets with a mean of 1e8 (float64)', () => {
    const y = [0, 1, 2, 3, 4, 5, 6, 7].map((v) => 1e8 + v);
    const p = y.map((v, i) => v + (i % 2 === 0 ? 0.25 : -0.5));
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const ssTot = y.reduce((a, v) => a + (v - mean) ** 2, 0);
    const ssRes = y.reduce((a, v, i) => a + (v - p[i]!) ** 2, 0);
    const r2 = createMetric('r2');
    // Two batches, as evaluate feeds them.
    r2.update(Float64Array.from(p.slice(0, 3)), Float64Array.from(y.slice(0, 3)), 3, 1);
    r2.update(Float64Array.from(p.slice(3)), Float64Array.from(y.slice(3)), 5, 1);
    expect(r2.result()).toBeCloseTo(1 - ssRes / ssTot, 12);
  });
});
