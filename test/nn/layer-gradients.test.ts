// The Activation layer's backward against central differences, and the documented gradient lifetime.
import { describe, expect, it } from 'vitest';
import { Activation, Dense, Rng, Sequential, Tensor, gradCheck, type ActivationName, type Layer } from '../../src/index.js';

const EPSILON = 1e-6;

/**
 * Checks dL/dx from `layer.backward` for L = Σ c ⊙ layer(x) against (L(x + ε) − L(x − ε)) / 2ε in
 * float64, entry by entry. Returns the largest relative error over the entries.
 */
function inputGradientError(layer: Layer, x: Tensor, c: Tensor): number {
  const loss = (input: Tensor): number => {
    const out = layer.forward(input, { training: true });
    let sum = 0;
    for (let i = 0; i < out.data.length; i++) sum += c.data[i]! * out.data[i]!;
    return sum;
  };
  loss(x);
  const analytic = Float64Array.from(layer.backward(c)!.data);
  let worst = 0;
  for (let i = 0; i < x.data.length; i++) {
    const saved = x.data[i]!;
    x.data[i] = saved + EPSILON;
    const plus = loss(x);
    x.data[i] = saved - EPSILON;
    const minus = loss(x);
    x.data[i] = saved;
    const numeric = (plus - minus) / (2 * EPSILON);
    const denominator = Math.abs(analytic[i]!) + Math.abs(numeric);
    if (denominator > 0) worst = Math.max(worst, Math.abs(analytic[i]! - numeric) / denominator);
  }
  return worst;
}

/** Normal entries kept at least 0.05 away from 0, so no finite difference straddles a ReLU kink. */
function awayFromZero(rng: Rng, shape: [number, number]): Tensor {
  const n = shape[0] * shape[1];
  return Tensor.from(Array.from({ length: n }, () => {
    const v = rng.normal();
    return Math.sign(v || 1) * (Math.abs(v) + 0.05);
  }), shape, 'float64');
}

describe('Activation layer backward (float64 central differences)', () => {
  const ACTIVATIONS: ActivationName[] = ['sigmoid', 'relu', 'leaky_relu', 'tanh', 'linear', 'softmax'];
  for (const name of ACTIVATIONS) {
    it(`${name}: dL/dx matches the central difference`, () => {
      const rng = new Rng(name.length * 13 + 1);
      const layer = new Activation(name);
      const x = awayFromZero(rng, [5, 4]);
      const c = awayFromZero(rng, [5, 4]);
      expect(inputGradientError(layer, x, c)).toBeLessThan(1e-7);
    });
  }

  it('a wrong derivative is caught (the check can fail)', () => {
    const rng = new Rng(2);
    const layer = new Activation('tanh');
    const original = layer.backward.bind(layer);
    layer.backward = (d, options) => {
      const out = original(d, options)!;
      out.data[3] = out.data[3]! * 1.01;
      return out;
    };
    expect(inputGradientError(layer, awayFromZero(rng, [3, 3]), awayFromZero(rng, [3, 3]))).toBeGreaterThan(1e-3);
  });

  it('networks built from separate Activation layers pass gradCheck', () => {
    const rng = new Rng(4);
    const model = new Sequential([
      new Dense(3, 5, { rng }),
      new Activation('tanh'),
      new Dense(5, 4, { rng }),
      new Activation('leaky_relu'),
      new Dense(4, 3, { rng }),
      new Activation('softmax'),
    ]);
    model.compile({ loss: 'categorical_crossentropy' });
    const x = Tensor.from(Array.from({ length: 18 }, () => rng.normal()), [6, 3], 'float64');
    const y = Tensor.zeros([6, 3], 'float64');
    for (let r = 0; r < 6; r++) y.data[r * 3 + (r % 3)] = 1;
    const report = gradCheck(model, x, y);
    expect(report.tensors.map((t) => t.name)).toEqual(['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias', 'layers.2.weight', 'layers.2.bias']);
    expect(report.maxRelativeError).toBeLessThan(1e-6);
  });
});

describe('gradient lifetime', () => {
  function setup(): { model: Sequential; x: Tensor; y: Tensor } {
    const rng = new Rng(9);
    const model = Sequential.mlp({ inputs: 3, hidden: [4], outputs: 2, task: 'regression', activation: 'tanh', seed: 9 });
    model.compile({ loss: 'mse' });
    const x = Tensor.from(Array.from({ length: 15 }, () => rng.normal()), [5, 3]);
    const y = Tensor.from(Array.from({ length: 10 }, () => rng.normal()), [5, 2]);
    return { model, x, y };
  }
  const grads = (model: Sequential): number[][] => model.parameters().map((p) => Array.from(p.grad.data));

  it('computeGradients twice gives the same gradients, not twice them', () => {
    const { model, x, y } = setup();
    model.computeGradients(x, y);
    const first = grads(model);
    model.computeGradients(x, y);
    expect(grads(model)).toEqual(first);
    expect(first.flat().some((g) => g !== 0)).toBe(true);
  });

  it('Network.backward accumulates until zeroGrad()', () => {
    const { model, x, y } = setup();
    model.computeGradients(x, y);
    const once = grads(model);
    const net = model.network;
    // dL/dŷ of the mean squared error over m·K entries: 2(ŷ − y)/(mK).
    const backwardOnce = (): void => {
      const out = net.forward(x, { training: true });
      const d = Tensor.zeros(out.shape as [number, number]);
      for (let i = 0; i < d.data.length; i++) d.data[i] = (2 * (out.data[i]! - y.data[i]!)) / d.data.length;
      net.backward(d);
    };
    net.zeroGrad();
    backwardOnce();
    backwardOnce();
    const twice = grads(model);
    for (let t = 0; t < once.length; t++) {
      for (let i = 0; i < once[t]!.length; i++) expect(twice[t]![i]).toBeCloseTo(2 * once[t]![i]!, 5);
    }
    net.zeroGrad();
    expect(grads(model).flat().every((g) => g === 0)).toBe(true);
  });
});
