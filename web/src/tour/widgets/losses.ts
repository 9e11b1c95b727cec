// Section 3: a loss and its derivative for one prediction ŷ against a target y.

import { SERIES_COLORS } from '../../ui/colors.js';
import { drawLineChart } from '../../ui/line-chart.js';
import { lossAt, type TourLoss } from '../calc/forward.js';
import { canvas, choice, coalesce, el, fmt, slider } from '../dom.js';

const FORMULAS: Record<TourLoss, string> = {
  binary_crossentropy: 'J = −[y log ŷ + (1 − y) log(1 − ŷ)]',
  categorical_crossentropy: 'J = −Σ_k y_k log ŷ_k (two classes: ŷ and 1 − ŷ)',
  mse: 'J = (ŷ − y)²',
  mae: 'J = |ŷ − y|',
};

export function mountLosses(root: HTMLElement): void {
  const controls = el('div', { class: 'controls' });
  const out = el('p', { class: 'readout', testid: 'loss-output' });
  const chart = canvas('loss-chart', 'the loss J as ŷ goes from 0.01 to 0.99');
  // The chart's x axis is ŷ in per cent (the chart labels its ends with whole numbers well).
  const percent = Array.from({ length: 99 }, (_, i) => i + 1);
  const draw = coalesce(() => {
    const name = loss.value as TourLoss,
      y = Number(target.value),
      p = Number(yHat.value);
    const { loss: J, derivative } = lossAt(name, p, y);
    out.textContent = `${FORMULAS[name]}: at ŷ = ${p}, y = ${y}, J = ${fmt(J, 4)}, dJ/dŷ = ${fmt(derivative, 4)}`;
    out.dataset.value = String(J);
    drawLineChart(
      chart,
      percent,
      [{ label: 'J', values: percent.map((v) => lossAt(name, v / 100, y).loss), color: SERIES_COLORS[0]! }],
      { xLabel: 'ŷ in %' },
    );
  });
  const loss = choice(
    controls,
    {
      label: 'loss',
      options: [
        ['binary_crossentropy', 'binary cross-entropy'],
        ['categorical_crossentropy', 'categorical cross-entropy'],
        ['mse', 'L2 (MSE)'],
        ['mae', 'L1 (MAE)'],
      ],
      value: 'binary_crossentropy',
      testid: 'loss-name',
    },
    draw,
  );
  const target = choice(
    controls,
    {
      label: 'y',
      options: [
        ['1', '1'],
        ['0', '0'],
      ],
      value: '1',
      testid: 'loss-y',
    },
    draw,
  );
  const yHat = slider(
    controls,
    { label: 'ŷ', min: 0.01, max: 0.99, step: 0.01, value: 0.7, testid: 'loss-yhat' },
    draw,
  );
  root.append(controls, out, chart);
  draw();
}
