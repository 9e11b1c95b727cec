// Forward values and gradients compared with PyTorch's (test/fixtures/forward_backward.json).
import { describe, expect, it } from 'vitest';
import { type LossName, lossGradient, Tensor } from '../../src/index.js';
import { expectAllClose, flat } from '../helpers/allclose.js';
import { forwardFixture as fixture, modelFromLayers } from '../helpers/torch-fixtures.js';

describe('forward and backward match PyTorch', () => {
  it('has the cases the fixture promises', () => expect(fixture.cases.length).toBe(27));
  for (const c of fixture.cases) {
    it(c.name, () => {
      const model = modelFromLayers(c.layers, [...c.hidden_activations, c.output_activation], 'float64');
      model.compile({ loss: c.loss as LossName });
      const x = Tensor.from(c.x, undefined, 'float64');
      const y = Tensor.from(c.y, undefined, 'float64');
      const output = model.predict(x);
      expectAllClose(output.data, flat(c.output), 1e-10, 1e-12, 'output');
      expect(model.computeLoss(x, y)).toBeCloseTo(c.loss_value, 12);
      // The gradient with respect to the input, from the network's backward pass.
      model.computeGradients(x, y);
      model.parameters().forEach((p, k) => {
        const g = c.grads[k >> 1]!;
        expectAllClose(p.grad.data, k % 2 === 0 ? flat(g.weight) : g.bias, 1e-9, 1e-12, p.name);
      });
      // dJ/dx through the whole network, asked for explicitly.
      const net = model.network;
      const out = net.forward(x, { training: true });
      const head = net.outputLayer();
      const input = { output: out, target: y, activation: head.finalActivation(), logits: head.lastPreActivation() };
      const grad = Tensor.zeros(out.shape, 'float64');
      const wrt = lossGradient(model.loss, input, grad.data);
      const dx = net.backward(grad, { fromPreActivation: wrt === 'z', inputGradient: true });
      expectAllClose(dx!.data, flat(c.input_grad), 1e-9, 1e-12, 'input gradient');
      expect(net.backward(grad, { fromPreActivation: wrt === 'z' })).toBeNull();
    });
  }
});
