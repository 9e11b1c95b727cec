// Every optimiser reaches the known minimum of a parabola and of Rosenbrock's function; bad hyper-parameters are refused.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOptimizer, type OptimizerSpec, type Parameter, Tensor } from '../../src/index.js';
import { VERSION } from '../../src/version.js';

function param(values: number[]): Parameter {
  return {
    name: 'theta',
    value: Tensor.from(values, [values.length], 'float64'),
    grad: Tensor.zeros([values.length], 'float64'),
  };
}

/** Minimises f from `start` with `steps` optimiser steps; returns θ. */
function minimise(
  spec: OptimizerSpec,
  start: number[],
  gradient: (t: Float64Array | Float32Array, g: Float64Array | Float32Array) => void,
  steps: number,
): number[] {
  const p = param(start);
  const opt = createOptimizer(spec, [p]);
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    gradient(p.value.data, p.grad.data);
    opt.step();
  }
  return Array.from(p.value.data);
}

// f(θ) = Σ c_i (θ_i − t_i)², minimum at t.
const target = [1, -2, 3];
const curvature = [1, 4, 0.5];
const parabola = (t: Float64Array | Float32Array, g: Float64Array | Float32Array): void => {
  for (let i = 0; i < 3; i++) g[i] = 2 * curvature[i]! * (t[i]! - target[i]!);
};
// Rosenbrock f(x, y) = (1 − x)² + 100 (y − x²)², minimum at (1, 1).
const rosenbrock = (t: Float64Array | Float32Array, g: Float64Array | Float32Array): void => {
  const x = t[0]!,
    y = t[1]!;
  g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
  g[1] = 200 * (y - x * x);
};

const table: [OptimizerSpec, number, OptimizerSpec, number][] = [
  [{ name: 'sgd', lr: 0.1 }, 300, { name: 'sgd', lr: 1e-3 }, 60_000],
  [{ name: 'sgd', lr: 0.05, momentum: 0.9 }, 300, { name: 'sgd', lr: 1e-3, momentum: 0.9 }, 10_000],
  [{ name: 'momentum', lr: 0.1, momentum: 0.9 }, 400, { name: 'momentum', lr: 2e-3, momentum: 0.9 }, 40_000],
  [{ name: 'nesterov', lr: 0.05, momentum: 0.9 }, 300, { name: 'nesterov', lr: 1e-3, momentum: 0.9 }, 10_000],
  [{ name: 'rmsprop', lr: 0.01 }, 2_000, { name: 'rmsprop', lr: 1e-3 }, 20_000],
  [{ name: 'adam', lr: 0.05 }, 2_000, { name: 'adam', lr: 0.01 }, 20_000],
  [{ name: 'adamw', lr: 0.05, weightDecay: 0 }, 2_000, { name: 'adamw', lr: 0.01, weightDecay: 0 }, 20_000],
];

describe('optimisers reach the known minimum', () => {
  for (const [spec, steps, rosenSpec, rosenSteps] of table) {
    const name = JSON.stringify(spec);
    it(`${name} on a parabola`, () => {
      const theta = minimise(spec, [0, 0, 0], parabola, steps);
      theta.forEach((v, i) => expect(v).toBeCloseTo(target[i]!, 2));
    });
    it(`${JSON.stringify(rosenSpec)} on Rosenbrock`, () => {
      const [x, y] = minimise(rosenSpec, [-1.2, 1], rosenbrock, rosenSteps);
      expect(x).toBeCloseTo(1, 1);
      expect(y).toBeCloseTo(1, 1);
    });
  }
});

describe('hyper-parameters are validated with PyTorch-like messages', () => {
  const p = [param([0])];
  const cases: [OptimizerSpec, RegExp][] = [
    [{ name: 'adam', beta1: 1.2 }, /Invalid beta parameter at index 0: 1.2/],
    [{ name: 'adam', beta2: -0.1 }, /Invalid beta parameter at index 1: -0.1/],
    [{ name: 'sgd', lr: -1 }, /Invalid learning rate: -1/],
    [{ name: 'sgd', momentum: 1.5 }, /Invalid momentum value: 1.5/],
    [{ name: 'rmsprop', eps: -1 }, /Invalid epsilon value: -1/],
    [{ name: 'sgd', weightDecay: -0.1 }, /Invalid weight decay: -0.1/],
    [{ name: 'adam', l1: -0.1 }, /Invalid L1 penalty: -0.1 \(must be a number >= 0\)/],
    [{ name: 'sgd', l1: NaN }, /Invalid L1 penalty: NaN/],
    [{ name: 'sgd', clipNorm: 0 }, /Invalid clipNorm: 0/],
  ];
  for (const [spec, message] of cases)
    it(JSON.stringify(spec), () => expect(() => createOptimizer(spec, p)).toThrow(message));

  it('the learning rate is readable and settable', () => {
    const opt = createOptimizer({ name: 'adam', lr: 0.1 }, p);
    expect(opt.lr).toBe(0.1);
    opt.lr = 0.01;
    expect(opt.lr).toBe(0.01);
    expect(() => (opt.lr = NaN)).toThrow(/Invalid learning rate: NaN/);
  });

  it("defaults are PyTorch's", () => {
    const adam = createOptimizer('adam', p) as unknown as { lr: number; beta1: number; beta2: number; eps: number };
    expect([adam.lr, adam.beta1, adam.beta2, adam.eps]).toEqual([1e-3, 0.9, 0.999, 1e-8]);
    const rms = createOptimizer('rmsprop', p) as unknown as { lr: number; alpha: number; eps: number };
    expect([rms.lr, rms.alpha, rms.eps]).toEqual([0.01, 0.99, 1e-8]);
    expect((createOptimizer('adamw', p) as unknown as { weightDecay: number }).weightDecay).toBe(0.01);
  });
});

it('VERSION matches package.json', () => {
  expect(VERSION).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
});
