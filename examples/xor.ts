// XOR by hand: forward propagation, the loss, back-propagation and the gradient-descent update
// W ← W − α dW written out, with nothing but a network and its parameters.
//
//   npx tsx examples/xor.ts [steps]
import { Dense, lossGradient, lossValue, Network, Rng, Tensor } from 'backprop';

const steps = Number(process.argv[2] ?? 2000);
const learningRate = 0.5;

// Four examples as rows: x [4, 2], y [4, 1].
const x = Tensor.from([
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
]);
const y = Tensor.from([[0], [1], [1], [0]]);

// 2 inputs → 4 tanh neurons → 1 sigmoid output. One seeded generator breaks the symmetry.
const rng = new Rng(1);
const network = new Network([
  new Dense(2, 4, { activation: 'tanh', init: 'glorot_normal', rng }),
  new Dense(4, 1, { activation: 'sigmoid', init: 'glorot_normal', rng }),
]);

const dA = Tensor.zeros([4, 1]);
for (let step = 0; step <= steps; step++) {
  // Forward: A[l] = g(W[l] A[l−1] + b[l]), keeping what backward needs.
  const output = network.forward(x, { training: true });
  const head = network.outputLayer();
  const input = { output, target: y, activation: head.finalActivation(), logits: head.lastPreActivation() };
  const loss = lossValue('binary_crossentropy', input);
  // dJ/dA of the output layer; for sigmoid + cross-entropy the loss hands back dJ/dZ = (ŷ − y)/m directly.
  const wrt = lossGradient('binary_crossentropy', input, dA.data);
  network.zeroGrad();
  network.backward(dA, { fromPreActivation: wrt === 'z' });
  // Gradient descent on every weight and bias.
  for (const p of network.parameters()) {
    for (let i = 0; i < p.value.data.length; i++) p.value.data[i] = p.value.data[i]! - learningRate * p.grad.data[i]!;
  }
  if (step % 500 === 0) console.log(`step ${step}: loss ${loss.toFixed(4)}`);
}

const predictions = network
  .forward(x, { training: false })
  .to2D()
  .map((row) => row[0]!);
console.log(
  'inputs      ',
  x
    .to2D()
    .map((r) => r.join(','))
    .join('  '),
);
console.log('predictions ', predictions.map((p) => p.toFixed(3)).join('  '));
console.log(`XOR ${predictions.every((p, i) => Math.round(p) === y.data[i]) ? 'learned' : 'not learned yet'}`);
