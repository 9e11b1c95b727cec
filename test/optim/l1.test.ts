// The L1 penalty by hand: its gradient λ₁·sign(w) with sign(0) = 0, and the sparse solution it is for.
import { describe, expect, it } from 'vitest';
import { createOptimizer, type Parameter, Tensor } from '../../src/index.js';

function param(values: number[]): Parameter {
  return {
    name: 'theta',
    value: Tensor.from(values, [values.length], 'float64'),
    grad: Tensor.zeros([values.length], 'float64'),
  };
}

describe('L1 penalty', () => {
  it('adds λ₁·sign(w) to the gradient, nothing at w = 0 (plain SGD, hand-computed)', () => {
    const p = param([0.5, -0.25, 0]);
    const opt = createOptimizer({ name: 'sgd', lr: 0.1, l1: 0.2 }, [p]);
    p.grad.data.set([1, 1, 1]);
    opt.step();
    // w − 0.1·(g + 0.2·sign(w)): 0.5 − 0.1·1.2, −0.25 − 0.1·0.8, 0 − 0.1·1.
    expect(Array.from(p.value.data)).toEqual(
      [0.5 - 0.1 * 1.2, -0.25 - 0.1 * 0.8, 0 - 0.1 * 1].map((v) => expect.closeTo(v, 15)),
    );
    expect(Array.from(p.grad.data)).toEqual([1.2, 0.8, 1].map((v) => expect.closeTo(v, 15)));
  });

  it('gives the lasso solution on a separable quadratic: weights whose pull is under λ₁ end at zero', () => {
    // f(θ) = ½ Σ (θᵢ − tᵢ)² + λ₁ Σ |θᵢ| is minimised by soft thresholding: sign(t)·max(|t| − λ₁, 0).
    const target = [2, -1.5, 0.3, -0.2];
    const l1 = 0.5;
    const p = param([1, 1, 1, 1]);
    const opt = createOptimizer({ name: 'sgd', lr: 0.05, l1 }, [p]);
    for (let i = 0; i < 2000; i++) {
      opt.zeroGrad();
      for (let j = 0; j < target.length; j++) p.grad.data[j] = p.value.data[j]! - target[j]!;
      opt.step();
    }
    const lasso = target.map((t) => Math.sign(t) * Math.max(Math.abs(t) - l1, 0));
    // Plain subgradient steps hover around an exact zero within lr·λ₁.
    p.value.data.forEach((v, j) => expect(Math.abs(v - lasso[j]!)).toBeLessThanOrEqual(0.05 * l1 + 1e-9));
    expect(Math.abs(p.value.data[0]! - 1.5)).toBeLessThan(1e-9);
  });
});
