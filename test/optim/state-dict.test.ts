// Optimiser stateDict()/loadStateDict(): continuing from a saved state equals not stopping, and
// mismatched state is rejected with a message naming what differs.
import { describe, expect, it } from 'vitest';
import { createOptimizer, type OptimizerSpec, Rng, Sequential, Tensor } from '../../src/index.js';

function setup(spec: OptimizerSpec): { model: Sequential; x: Tensor; y: Tensor } {
  const rng = new Rng(2);
  const x = Tensor.zeros([16, 3]);
  const y = Tensor.zeros([16, 2]);
  for (let i = 0; i < x.size; i++) x.data[i] = rng.normal();
  for (let r = 0; r < 16; r++) y.data[r * 2 + (r % 2)] = 1;
  const model = Sequential.mlp({ inputs: 3, hidden: [5], outputs: 2, task: 'classification', seed: 4 });
  model.compile({ loss: 'cce', optimizer: spec });
  return { model, x, y };
}

const SPECS: OptimizerSpec[] = [
  { name: 'sgd', lr: 0.1 },
  { name: 'sgd', lr: 0.1, momentum: 0.9 },
  { name: 'nesterov', lr: 0.1 },
  { name: 'momentum', lr: 0.1 },
  { name: 'rmsprop', lr: 0.01 },
  { name: 'rmsprop', lr: 0.01, momentum: 0.5 },
  { name: 'adam', lr: 0.01 },
  { name: 'adamw', lr: 0.01 },
];

describe('optimizer state dict', () => {
  it.each(SPECS.map((s) => [JSON.stringify(s), s] as const))(
    '%s: 3 steps, save, 3 more on a fresh optimiser = 6 steps',
    (_name, spec) => {
      const a = setup(spec);
      for (let i = 0; i < 6; i++) a.model.trainStep(a.x, a.y);

      const b = setup(spec);
      for (let i = 0; i < 3; i++) b.model.trainStep(b.x, b.y);
      const sd = b.model.optimizer.stateDict();
      expect(sd.steps).toBe(3);
      // A fresh optimiser over the same parameters continues from the state dict.
      const params = b.model.parameters();
      const fresh = createOptimizer(spec, params);
      fresh.loadStateDict(JSON.parse(JSON.stringify({ ...sd, state: {} })) as typeof sd); // no per-parameter state: allowed
      fresh.loadStateDict(sd);
      for (let i = 0; i < 3; i++) {
        b.model.computeGradients(b.x, b.y);
        fresh.step();
      }
      expect(fresh.steps).toBe(6);
      params.forEach((p, i) =>
        expect(Array.from(p.value.data)).toEqual(Array.from(a.model.parameters()[i]!.value.data)),
      );
    },
  );

  it('names the state arrays as PyTorch does and returns copies', () => {
    const { model, x, y } = setup({ name: 'adam' });
    model.trainStep(x, y);
    const sd = model.optimizer.stateDict();
    expect(Object.keys(sd.state).sort()).toEqual([
      'layers.0.bias',
      'layers.0.weight',
      'layers.1.bias',
      'layers.1.weight',
    ]);
    expect(Object.keys(sd.state['layers.0.weight']!)).toEqual(['exp_avg', 'exp_avg_sq']);
    expect(sd.hyperParameters).toEqual({ weightDecay: 0, l1: 0, clipNorm: null, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    const before = sd.state['layers.0.weight']!.exp_avg![0];
    model.trainStep(x, y);
    expect(sd.state['layers.0.weight']!.exp_avg![0]).toBe(before);
  });

  it('rejects another optimiser, other hyper-parameters, unknown parameters and wrong sizes', () => {
    const { model, x, y } = setup({ name: 'adam' });
    model.trainStep(x, y);
    const sd = model.optimizer.stateDict();
    const params = model.parameters();
    expect(() => createOptimizer('rmsprop', params).loadStateDict(sd)).toThrow(
      /state dict is of optimizer 'adam', this is 'rmsprop'/,
    );
    expect(() => createOptimizer({ name: 'adam', beta1: 0.8 }, params).loadStateDict(sd)).toThrow(
      /beta1 is 0\.9 in the state dict, 0\.8 in this optimizer/,
    );
    const renamed = { ...sd, state: { 'layers.7.weight': sd.state['layers.0.weight']! } };
    expect(() => createOptimizer('adam', params).loadStateDict(renamed)).toThrow(
      /state for unknown parameter 'layers\.7\.weight'/,
    );
    const short = {
      ...sd,
      state: { 'layers.0.weight': { exp_avg: new Float32Array(2), exp_avg_sq: new Float32Array(2) } },
    };
    expect(() => createOptimizer('adam', params).loadStateDict(short)).toThrow(
      /'layers\.0\.weight' exp_avg has 2 values, the parameter has 15/,
    );
    const missing = { ...sd, state: { 'layers.0.weight': { exp_avg: sd.state['layers.0.weight']!.exp_avg! } } };
    expect(() => createOptimizer('adam', params).loadStateDict(missing)).toThrow(
      /has state exp_avg; adam keeps exp_avg, exp_avg_sq/,
    );
    expect(() => createOptimizer({ name: 'adam', l1: 0.01 }, params).loadStateDict(sd)).toThrow(
      /l1 is 0 in the state dict, 0\.01 in this optimizer/,
    );
  });

  it('reads a state dict saved before the L1 option as trained without L1', () => {
    const { model, x, y } = setup({ name: 'adam' });
    model.trainStep(x, y);
    const { l1: _dropped, ...older } = model.optimizer.stateDict().hyperParameters;
    const sd = { ...model.optimizer.stateDict(), hyperParameters: older };
    const fresh = createOptimizer('adam', model.parameters());
    fresh.loadStateDict(sd);
    expect(fresh.steps).toBe(1);
    expect(() => createOptimizer({ name: 'adam', l1: 0.1 }, model.parameters()).loadStateDict(sd)).toThrow(
      /l1 is 0 in the state dict, 0\.1 in this optimizer/,
    );
  });
});
