// The gradient check's absolute floor: round-off of the central difference does not fail a correct
// deep sigmoid network, whose gradients are tiny, while a real error still fails it.
import { describe, expect, it } from 'vitest';
import { Dense, gradCheck, Rng, Sequential, Tensor } from '../../src/index.js';

function deepSigmoid(seed: number): { model: Sequential; x: Tensor; y: Tensor } {
  const rng = new Rng(seed);
  const model = Sequential.mlp({
    inputs: 2,
    hidden: [4, 4, 4, 4],
    outputs: 1,
    task: 'multilabel',
    activation: 'sigmoid',
    seed,
  });
  const x = Tensor.from(
    Array.from({ length: 128 }, () => rng.normal()),
    [64, 2],
    'float64',
  );
  const y = Tensor.from(
    Array.from({ length: 64 }, () => rng.int(2)),
    [64, 1],
    'float64',
  );
  return { model, x, y };
}

describe('gradCheck with an absolute floor', () => {
  it('a purely relative test fails a correct 4-layer sigmoid network; the floor passes it', () => {
    const { model, x, y } = deepSigmoid(2);
    const relativeOnly = gradCheck(model, x, y, { atol: 0 });
    expect(relativeOnly.maxRelativeError).toBeGreaterThan(1e-6);
    expect(relativeOnly.passed).toBe(false);
    const report = gradCheck(model, x, y);
    expect(report.atol).toBe(1e-8);
    expect(report.passed).toBe(true);
    for (const t of report.tensors) {
      expect(t.absError, t.name).toBeLessThan(1e-8);
      expect(t.samples).toHaveLength(Math.min(4, t.checked));
      for (const s of t.samples) expect(Math.abs(s.analytic - s.numeric)).toBeLessThan(1e-8);
    }
  });

  it('dropping g′(z) in the first layer fails, floor or not', () => {
    const { model, x, y } = deepSigmoid(2);
    const original = Dense.prototype.backward;
    Dense.prototype.backward = function (this: Dense, dOut, options) {
      return original.call(
        this,
        dOut,
        options?.inputGradient === false ? { ...options, fromPreActivation: true } : options,
      );
    };
    try {
      const report = gradCheck(model, x, y);
      expect(report.passed).toBe(false);
      expect(report.tensors.filter((t) => !t.passed).map((t) => t.name)).toEqual(['layers.0.weight', 'layers.0.bias']);
    } finally {
      Dense.prototype.backward = original;
    }
  });

  it('rejects a negative floor', () => {
    const { model, x, y } = deepSigmoid(1);
    expect(() => gradCheck(model, x, y, { atol: -1 })).toThrow(/atol and samples must be ≥ 0, got -1/);
  });
});
