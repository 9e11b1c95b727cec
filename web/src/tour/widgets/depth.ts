// Section 8: vanishing and exploding gradients: w^L through a chain, and per-layer gradient norms of a deep network.
import type { ActivationName, InitName } from '../../../../src/index.js';
import { SERIES_COLORS } from '../../ui/colors.js';
import { drawLineChart } from '../../ui/line-chart.js';
import { chain, layerGradientNorms } from '../calc/gradients.js';
import { canvas, choice, coalesce, el, fmt, slider } from '../dom.js';

const DEPTH = 10;

export function mountDepth(root: HTMLElement): void {
  const chainControls = el('div', { class: 'controls' });
  const chainOut = el('p', { class: 'readout', testid: 'chain-output' });
  const deepControls = el('div', { class: 'controls' });
  const deepOut = el('p', { class: 'readout', testid: 'depth-output' });
  const chart = canvas('depth-chart', 'gradient norm of each layer’s weights, log scale');
  const drawChain = coalesce(() => {
    const w = Number(weight.value),
      L = Number(layers.value);
    const { output, inputGradient } = chain(w, L);
    chainOut.dataset.value = String(inputGradient);
    chainOut.textContent = `w^L = ${w}^${L} = ${fmt(w ** L, 2)}; the library’s forward pass gives ${fmt(output, 2)} and back-propagation dA^[L]/dA^[0] = ${fmt(inputGradient, 2)}`;
  });
  const drawDeep = coalesce(() => {
    const norms = layerGradientNorms(act.value as ActivationName, init.value as InitName, DEPTH, 5);
    deepOut.textContent = `‖dW^[1]‖ = ${fmt(norms[0]!, 2)} … ‖dW^[${DEPTH + 1}]‖ = ${fmt(norms[DEPTH]!, 2)}: ratio ${fmt(norms[0]! / norms[DEPTH]!, 2)}`;
    drawLineChart(
      chart,
      norms.map((_, l) => l + 1),
      [{ label: '‖dW‖', values: norms, color: SERIES_COLORS[0]! }],
      { xLabel: 'layer', log: true },
    );
  });
  const weight = choice(
    chainControls,
    {
      label: 'w',
      options: [
        ['0.5', '0.5'],
        ['1', '1'],
        ['1.5', '1.5'],
      ],
      value: '1.5',
      testid: 'chain-w',
    },
    drawChain,
  );
  const layers = slider(
    chainControls,
    { label: 'L', min: 1, max: 50, step: 1, value: 50, testid: 'chain-L' },
    drawChain,
  );
  const act = choice(
    deepControls,
    {
      label: 'g',
      options: [
        ['sigmoid', 'sigmoid'],
        ['tanh', 'tanh'],
        ['relu', 'ReLU'],
      ],
      value: 'sigmoid',
      testid: 'depth-activation',
    },
    drawDeep,
  );
  const init = choice(
    deepControls,
    {
      label: 'init',
      options: [
        ['uniform', 'uniform ±0.05'],
        ['lecun_normal', 'LeCun'],
        ['glorot_normal', 'Glorot'],
        ['he_normal', 'He'],
      ],
      value: 'uniform',
      testid: 'depth-init',
    },
    drawDeep,
  );
  root.append(
    chainControls,
    chainOut,
    el('p', {
      class: 'note',
      text: `A real network: 16 inputs, ${DEPTH} hidden layers of 16, MSE on 32 random examples.`,
    }),
    deepControls,
    deepOut,
    chart,
  );
  drawChain();
  drawDeep();
}
