// Section 1: one neuron, z = w·x + b and a = g(z), at one input and over the plane.
import { type ActivationName, Tensor } from '../../../../src/index.js';
import { drawHeatmap, fitCanvas } from '../../ui/canvas.js';
import { gridPoints, neuron } from '../calc/forward.js';
import { canvas, choice, coalesce, el, fmt, slider } from '../dom.js';

const GRID = 41;
const X: [number, number] = [1, -0.5];

/** Where a = g(z) falls on the colour scale [−1, 1]. */
const colour = (act: ActivationName, a: number): number => (act === 'sigmoid' ? 2 * a - 1 : act === 'tanh' ? a : a / 2);

export function mountNeuron(root: HTMLElement): void {
  const controls = el('div', { class: 'controls' });
  const out = el('p', { class: 'readout', testid: 'neuron-output' });
  const map = canvas('neuron-map', 'the neuron’s output a over the square −2 ≤ x₁, x₂ ≤ 2');
  const points = gridPoints(GRID);
  const input = Tensor.from([X], undefined, 'float64');
  const draw = coalesce(() => {
    const w: [number, number] = [Number(w1.value), Number(w2.value)];
    const act = g.value as ActivationName;
    const { z, a } = neuron(w, Number(b.value), act, input);
    out.textContent = `x = (${X[0]}, ${X[1]}): z = ${fmt(w[0])}·${X[0]} + ${fmt(w[1])}·(${X[1]}) + ${fmt(Number(b.value))} = ${fmt(z[0]!)}, a = ${act}(z) = ${fmt(a[0]!)}`;
    const grid = neuron(w, Number(b.value), act, points).a;
    const { ctx, width, height } = fitCanvas(map, 1);
    drawHeatmap(ctx, GRID, (i) => colour(act, grid[i]!), 0, 0, width, height);
  });
  const w1 = slider(controls, { label: 'w₁', min: -3, max: 3, step: 0.1, value: 1.5, testid: 'neuron-w1' }, draw);
  const w2 = slider(controls, { label: 'w₂', min: -3, max: 3, step: 0.1, value: -1, testid: 'neuron-w2' }, draw);
  const b = slider(controls, { label: 'b', min: -3, max: 3, step: 0.1, value: 0.2, testid: 'neuron-b' }, draw);
  const g = choice(
    controls,
    {
      label: 'g',
      options: [
        ['sigmoid', 'sigmoid'],
        ['tanh', 'tanh'],
        ['relu', 'ReLU'],
        ['linear', 'identity'],
      ],
      value: 'sigmoid',
      testid: 'neuron-activation',
    },
    draw,
  );
  root.append(controls, out, el('div', { class: 'square' }, map));
  draw();
}
