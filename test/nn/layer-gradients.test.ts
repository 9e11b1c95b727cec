// The Activation and Dropout layers' backward against central differences (dropout with a fixed
// mask: the same Philox key on every forward pass), and the documented gradient lifetime.
import { describe, expect, it } from 'vitest';
import { referenceBackend } from '../../src/backend/reference/reference.js';
import {
  Activation,
  type ActivationName,
  Dense,
  Dropout,
  gradCheck,
  type Layer,
  Network,
  Rng,
  Sequential,
  Tensor,
} from '../../src/index.js';
import type { ForwardOptions } from '../../src/nn/layer.js';

const EPSILON = 1e-6;

/** Training mode; dropout layers get a generator seeded alike on every call, so the same mask. */
const fixedMask = (): ForwardOptions => ({ training: true, rng: new Rng(17) });

/** The relative error |a − n| / (|a| + |n|), 0 when both are 0. */
function relativeError(analytic: number, numeric: number): number {
  const denominator = Math.abs(analytic) + Math.abs(numeric);
  return denominator > 0 ? Math.abs(analytic - numeric) / denominator : 0;
}

/**
 * Checks dL/dx from `layer.backward` for L = Σ c ⊙ layer(x) against (L(x + ε) − L(x − ε)) / 2ε in
 * float64, entry by entry. Returns the largest relative error over the entries.
 */
function inputGradientError(layer: Layer, x: Tensor, c: Tensor): number {
  const loss = (input: Tensor): number => {
    const out = layer.forward(input, fixedMask());
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
    worst = Math.max(worst, relativeError(analytic[i]!, (plus - minus) / (2 * EPSILON)));
  }
  return worst;
}

/** Normal entries kept at least 0.05 away from 0, so no finite difference straddles a ReLU kink. */
function awayFromZero(rng: Rng, shape: [number, number]): Tensor {
  const n = shape[0] * shape[1];
  return Tensor.from(
    Array.from({ length: n }, () => {
      const v = rng.normal();
      return Math.sign(v || 1) * (Math.abs(v) + 0.05);
    }),
    shape,
    'float64',
  );
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
    const x = Tensor.from(
      Array.from({ length: 18 }, () => rng.normal()),
      [6, 3],
      'float64',
    );
    const y = Tensor.zeros([6, 3], 'float64');
    for (let r = 0; r < 6; r++) y.data[r * 3 + (r % 3)] = 1;
    const report = gradCheck(model, x, y);
    expect(report.tensors.map((t) => t.name)).toEqual([
      'layers.0.weight',
      'layers.0.bias',
      'layers.1.weight',
      'layers.1.bias',
      'layers.2.weight',
      'layers.2.bias',
    ]);
    expect(report.maxRelativeError).toBeLessThan(1e-6);
  });
});

describe('Dropout layer backward with a fixed mask (float64 central differences)', () => {
  it('dL/dx matches the central difference, and dropped units get exactly 0', () => {
    const rng = new Rng(31);
    const layer = new Dropout(0.4);
    const x = awayFromZero(rng, [6, 5]);
    const c = awayFromZero(rng, [6, 5]);
    expect(inputGradientError(layer, x, c)).toBeLessThan(1e-7);
    layer.forward(x, fixedMask());
    const dx = Array.from(layer.backward(c)!.data);
    const dropped = dx.filter((g) => g === 0).length;
    // Both kinds of unit occur, so the check covers the mask and the 1/(1 − p) scale.
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(dx.length);
    for (const g of dx.keys()) if (dx[g] !== 0) expect(dx[g]! / c.data[g]!).toBeCloseTo(1 / 0.6, 12);
  });

  it('a wrong scale is caught (the check can fail)', () => {
    const rng = new Rng(32);
    const layer = new Dropout(0.4);
    const original = layer.backward.bind(layer);
    layer.backward = (d, options) => {
      const out = original(d, options)!;
      for (let i = 0; i < out.data.length; i++) out.data[i] = out.data[i]! * 0.6;
      return out;
    };
    expect(inputGradientError(layer, awayFromZero(rng, [4, 4]), awayFromZero(rng, [4, 4]))).toBeGreaterThan(0.1);
  });

  it('the weights below and above a dropout layer get the central-difference gradients of the masked network', () => {
    const rng = new Rng(33);
    const net = new Network(
      [new Dense(4, 6, { activation: 'tanh', rng }), new Dropout(0.5), new Dense(6, 3, { activation: 'sigmoid', rng })],
      { dtype: 'float64', backend: referenceBackend },
    );
    const x = awayFromZero(rng, [5, 4]);
    const c = awayFromZero(rng, [5, 3]);
    const loss = (): number => {
      const out = net.forward(x, fixedMask());
      let sum = 0;
      for (let i = 0; i < out.data.length; i++) sum += c.data[i]! * out.data[i]!;
      return sum;
    };
    loss();
    net.zeroGrad();
    net.backward(c);
    let worst = 0;
    for (const p of net.parameters()) {
      const w = p.value.data;
      const analytic = Float64Array.from(p.grad.data);
      for (let i = 0; i < w.length; i++) {
        const saved = w[i]!;
        w[i] = saved + EPSILON;
        const plus = loss();
        w[i] = saved - EPSILON;
        const minus = loss();
        w[i] = saved;
        worst = Math.max(worst, relativeError(analytic[i]!, (plus - minus) / (2 * EPSILON)));
      }
    }
    expect(worst).toBeLessThan(1e-7);
    // Dropout was active: the masked output is not the inference output.
    expect(Array.from(net.forward(x, fixedMask()).data)).not.toEqual(
      Array.from(net.forward(x, { training: false }).data),
    );
  });
});

describe('gradient lifetime', () => {
  function setup(): { model: Sequential; x: Tensor; y: Tensor } {
    const rng = new Rng(9);
    const model = Sequential.mlp({
      inputs: 3,
      hidden: [4],
      outputs: 2,
      task: 'regression',
      activation: 'tanh',
      seed: 9,
    });
    model.compile({ loss: 'mse' });
    const x = Tensor.from(
      Array.from({ length: 15 }, () => rng.normal()),
      [5, 3],
    );
    const y = Tensor.from(
      Array.from({ length: 10 }, () => rng.normal()),
      [5, 2],
    );
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
    expect(
      grads(model)
        .flat()
        .every((g) => g === 0),
    ).toBe(true);
  });
});
