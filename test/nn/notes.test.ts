// The notes' demonstrations as tests: a hand-computed network, XOR, identity collapse, symmetry, vanishing/exploding.
import { describe, expect, it } from 'vitest';
import {
  Dense,
  initializeWeights,
  Rng,
  referenceBackend,
  Sequential,
  setWarningHandler,
  Tensor,
} from '../../src/index.js';

const f64 = { dtype: 'float64' as const, backend: referenceBackend };

describe('a two-layer network computed by hand', () => {
  // x = [1, 2]; W1 = [[0.1, 0.2], [0.3, -0.4]], b1 = [0.1, -0.1]; ReLU; W2 = [[0.5, -0.6]], b2 = [0.2]; sigmoid; y = 1; BCE.
  // z1 = [0.1 + 0.4 + 0.1, 0.3 − 0.8 − 0.1] = [0.6, −0.6]; a1 = [0.6, 0]; z2 = 0.3 + 0.2 = 0.5; a2 = σ(0.5).
  const model = new Sequential(
    [
      new Dense(2, 2, {
        activation: 'relu',
        context: f64,
        weights: { weight: [0.1, 0.2, 0.3, -0.4], bias: [0.1, -0.1] },
      }),
      new Dense(2, 1, { activation: 'sigmoid', context: f64, weights: { weight: [0.5, -0.6], bias: [0.2] } }),
    ],
    { dtype: 'float64' },
  );
  model.compile({ loss: 'bce', optimizer: { name: 'sgd', lr: 0.5 } });
  const x = Tensor.from([[1, 2]], undefined, 'float64');
  const y = Tensor.from([[1]], undefined, 'float64');
  const a2 = 1 / (1 + Math.exp(-0.5)); // 0.6224593312018546

  it('forward: a2 = σ(0.5) and J = −log a2', () => {
    expect(model.predict(x).data[0]).toBeCloseTo(a2, 15);
    expect(model.computeLoss(x, y)).toBeCloseTo(-Math.log(a2), 14);
  });

  it('backward: dZ2 = a2 − y, dW2 = dZ2·a1ᵀ, dZ1 = W2ᵀdZ2 ⊙ g′(z1), dW1 = dZ1·xᵀ', () => {
    model.computeGradients(x, y);
    const dz2 = a2 - 1; // −0.3775406687981454
    const [w1, b1, w2, b2] = model.parameters().map((p) => Array.from(p.grad.data));
    expect(b2![0]).toBeCloseTo(dz2, 15);
    expect(w2![0]).toBeCloseTo(dz2 * 0.6, 15);
    expect(w2![1]).toBeCloseTo(0, 15); // a1[1] = 0
    // dA1 = W2ᵀ dZ2 = [0.5 dz2, −0.6 dz2]; ReLU′(z1) = [1, 0]
    expect(b1).toEqual([expect.closeTo(0.5 * dz2, 15), 0]);
    expect(w1![0]).toBeCloseTo(0.5 * dz2 * 1, 15);
    expect(w1![1]).toBeCloseTo(0.5 * dz2 * 2, 15);
    expect(w1![2]).toBe(0);
    expect(w1![3]).toBe(0);
  });

  it('one gradient-descent step: w ← w − α dw', () => {
    const copy = model.withContext(f64);
    copy.compile({ loss: 'bce', optimizer: { name: 'sgd', lr: 0.5 } });
    copy.trainStep(x, y);
    const dz2 = a2 - 1;
    expect(copy.parameters()[3]!.value.data[0]).toBeCloseTo(0.2 - 0.5 * dz2, 15);
    expect(copy.parameters()[0]!.value.data[1]).toBeCloseTo(0.2 - 0.5 * (0.5 * dz2 * 2), 15);
  });
});

describe('XOR', () => {
  it('is learned to 100% by a 2-4-1 tanh network', () => {
    const x = Tensor.from([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const y = Tensor.from([[0], [1], [1], [0]]);
    const model = Sequential.mlp({
      inputs: 2,
      hidden: [4],
      outputs: 1,
      task: 'multilabel',
      activation: 'tanh',
      seed: 2,
    });
    model.compile({ loss: 'bce', optimizer: { name: 'adam', lr: 0.05 }, metrics: ['accuracy'] });
    const { history } = model.fit(x, y, { epochs: 400, batchSize: 'all' });
    expect(history.at(-1)!.accuracy).toBe(1);
    expect(model.predictClasses(x)).toEqual([0, 1, 1, 0]);
    expect(history.at(-1)!.loss).toBeLessThan(0.05);
  });

  it('cannot be learned with identity activations (the network is one linear map)', () => {
    const x = Tensor.from([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const y = Tensor.from([[0], [1], [1], [0]]);
    const model = Sequential.mlp({
      inputs: 2,
      hidden: [8, 8],
      outputs: 1,
      task: 'multilabel',
      activation: 'linear',
      seed: 2,
    });
    model.compile({ loss: 'bce', optimizer: { name: 'adam', lr: 0.05 }, metrics: ['accuracy'] });
    const { history } = model.fit(x, y, { epochs: 400, batchSize: 'all' });
    // The best a linear classifier does on XOR: loss log 2 with every probability 0.5.
    expect(history.at(-1)!.loss).toBeGreaterThan(0.69);
    expect(history.at(-1)!.accuracy).toBeLessThanOrEqual(0.75);
  });
});

describe('identity activations collapse the network to one linear map', () => {
  it('three identity layers equal x·(W3W2W1)ᵀ + b with b = W3(W2b1 + b2) + b3', () => {
    const rng = new Rng(7);
    const model = Sequential.mlp({
      inputs: 3,
      hidden: [5, 4],
      outputs: 2,
      activation: 'linear',
      seed: 7,
      dtype: 'float64',
    });
    const [l1, l2, l3] = model.network.denseLayers() as [Dense, Dense, Dense];
    const mul = (
      a: Float64Array | Float32Array,
      b: Float64Array | Float32Array,
      n: number,
      k: number,
      p: number,
    ): Float64Array => {
      const out = new Float64Array(n * p); // a [n,k] · b [k,p]
      for (let i = 0; i < n; i++)
        for (let j = 0; j < p; j++) for (let t = 0; t < k; t++) out[i * p + j]! += a[i * k + t]! * b[t * p + j]!;
      return out;
    };
    const W = mul(mul(l3.weight.data, l2.weight.data, 2, 4, 5), l1.weight.data, 2, 5, 3); // [2, 3]
    const b = mul(l3.weight.data, mul(l2.weight.data, l1.bias.data, 4, 5, 1), 2, 4, 1).map(
      (v, i) => v + mul(l3.weight.data, l2.bias.data, 2, 4, 1)[i]! + l3.bias.data[i]!,
    );
    const x = Tensor.from(
      Array.from({ length: 12 }, () => rng.normal()),
      [4, 3],
      'float64',
    );
    const out = model.predict(x);
    for (let r = 0; r < 4; r++) {
      for (let j = 0; j < 2; j++) {
        let v = b[j]!;
        for (let t = 0; t < 3; t++) v += W[j * 3 + t]! * x.data[r * 3 + t]!;
        expect(out.data[r * 2 + j]).toBeCloseTo(v, 12);
      }
    }
  });
});

describe('zero initialisation keeps the neurons of a layer identical', () => {
  it('after 50 steps every hidden neuron still has the same incoming weights', () => {
    const previous = setWarningHandler(() => {});
    try {
      const rng = new Rng(11);
      const model = Sequential.mlp({
        inputs: 3,
        hidden: [4],
        outputs: 1,
        task: 'regression',
        activation: 'tanh',
        init: 'zeros',
        seed: 11,
      });
      // Zeros everywhere would give zero gradients for the hidden layer; start the output weights equal but non-zero.
      model.network.denseLayers()[1]!.weight.data.fill(0.3);
      model.compile({ loss: 'mse', optimizer: { name: 'sgd', lr: 0.1 } });
      const x = Tensor.from(
        Array.from({ length: 30 }, () => rng.normal()),
        [10, 3],
      );
      const y = Tensor.from(
        Array.from({ length: 10 }, () => rng.normal()),
        [10, 1],
      );
      model.fit(x, y, { epochs: 50, batchSize: 'all' });
      const w = model.network.denseLayers()[0]!.weight.to2D();
      expect(Math.abs(w[0]![0]!)).toBeGreaterThan(1e-3); // it did learn something
      for (const row of w) expect(row).toEqual(w[0]);
      const out = Array.from(model.network.denseLayers()[1]!.weight.data);
      expect(new Set(out).size).toBe(1);
    } finally {
      setWarningHandler(previous);
    }
  });

  it('random initialisation breaks the symmetry', () => {
    const model = Sequential.mlp({ inputs: 3, hidden: [4], outputs: 1, activation: 'tanh', seed: 11 });
    const w = model.network.denseLayers()[0]!.weight.to2D();
    expect(w[1]).not.toEqual(w[0]);
  });
});

describe('deep identity chains explode or vanish', () => {
  // With weights w·I and identity activations, the output (and the gradient) of L layers scales by w^L.
  const chain = (w: number, depth: number): { out: number; grad: number } => {
    const n = 4;
    const eye = (s: number): number[] => Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? s : 0));
    const layers = Array.from(
      { length: depth },
      () =>
        new Dense(n, n, {
          activation: 'linear',
          context: f64,
          weights: { weight: eye(w), bias: new Array(n).fill(0) },
        }),
    );
    const model = new Sequential(layers, { dtype: 'float64' });
    model.compile({ loss: 'mse' });
    const x = Tensor.from([[1, 1, 1, 1]], undefined, 'float64');
    const out = model.predict(x).data[0]!;
    model.computeGradients(x, Tensor.zeros([1, n], 'float64'));
    const grad = Math.abs(model.parameters()[0]!.grad.data[0]!);
    return { out, grad };
  };

  it('weights 1.5 over 50 layers explode as 1.5^50', () => {
    const { out, grad } = chain(1.5, 50);
    expect(out).toBeCloseTo(1.5 ** 50, -10);
    expect(out).toBeGreaterThan(1e8);
    expect(grad).toBeGreaterThan(1e16);
  });

  it('weights 0.5 over 50 layers vanish as 0.5^50', () => {
    const { out, grad } = chain(0.5, 50);
    expect(out / 0.5 ** 50).toBeCloseTo(1, 12);
    expect(grad).toBeLessThan(1e-28);
  });
});

describe('initialisers have the variance their formula says', () => {
  const cases: [string, (nIn: number, nOut: number) => number][] = [
    ['lecun_normal', (n) => 1 / n],
    ['he_normal', (n) => 2 / n],
    ['glorot_normal', (i, o) => 2 / (i + o)],
    ['glorot_uniform', (i, o) => 2 / (i + o)],
    ['uniform', () => 0.05 ** 2 / 3],
  ];
  for (const [name, variance] of cases) {
    it(`${name}: Var(w) = ${variance(300, 100).toPrecision(3)} for [100, 300]`, () => {
      const w = new Float64Array(300 * 100);
      initializeWeights(w, 300, 100, name as 'he_normal', new Rng(9));
      const mean = w.reduce((s, v) => s + v, 0) / w.length;
      const v = w.reduce((s, x) => s + (x - mean) ** 2, 0) / w.length;
      // 30 000 draws: the sample variance is within about 2% (4 standard errors) of the truth.
      expect(Math.abs(v / variance(300, 100) - 1)).toBeLessThan(0.035);
      expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt(variance(300, 100) / w.length));
    });
  }

  it('uniform with ε stays in [−ε, ε]', () => {
    const w = new Float64Array(1000);
    initializeWeights(w, 10, 100, { name: 'uniform', epsilon: 0.12 }, new Rng(1));
    expect(Math.max(...w)).toBeLessThanOrEqual(0.12);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-0.12);
    expect(Math.max(...w)).toBeGreaterThan(0.11);
  });

  it('the same seed gives the same weights, bit for bit', () => {
    const a = Sequential.mlp({ inputs: 5, hidden: [7], outputs: 2, seed: 42 }).parameters()[0]!.value.data;
    const b = Sequential.mlp({ inputs: 5, hidden: [7], outputs: 2, seed: 42 }).parameters()[0]!.value.data;
    const c = Sequential.mlp({ inputs: 5, hidden: [7], outputs: 2, seed: 43 }).parameters()[0]!.value.data;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
});
