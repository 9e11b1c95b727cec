// Section 7: a badly scaled feature, trained as it is and standardised by StandardScaler.

import { SERIES_COLORS } from '../../ui/colors.js';
import { drawLineChart } from '../../ui/line-chart.js';
import { scalingCurves } from '../calc/training.js';
import { canvas, choice, coalesce, el, fmt, legend } from '../dom.js';

const EPOCHS = 40,
  OFFSET = 20;

export function mountScaling(root: HTMLElement): void {
  const controls = el('div', { class: 'controls' });
  const out = el('p', { class: 'readout', testid: 'scaling-output' });
  const chart = canvas('scaling-chart', 'training loss with and without standardisation');
  const draw = coalesce(() => {
    const s = Number(scale.value);
    const { raw, standardised } = scalingCurves(s, OFFSET, EPOCHS, 3);
    out.textContent = `x₂ · ${s} + ${OFFSET}: after ${EPOCHS} steps of batch gradient descent J = ${fmt(raw[EPOCHS]!, 4)} as it is, ${fmt(standardised[EPOCHS]!, 4)} standardised`;
    drawLineChart(
      chart,
      raw.map((_, e) => e),
      [
        { label: 'raw', values: raw, color: SERIES_COLORS[1]! },
        { label: 'standardised', values: standardised, color: SERIES_COLORS[0]! },
      ],
      { xLabel: 'epoch', log: true },
    );
  });
  const scale = choice(
    controls,
    {
      label: 'scale of x₂',
      options: [
        ['1', '1'],
        ['10', '10'],
        ['50', '50'],
      ],
      value: '50',
      testid: 'scaling-scale',
    },
    draw,
  );
  root.append(
    controls,
    out,
    chart,
    legend([
      [SERIES_COLORS[1]!, 'as it is'],
      [SERIES_COLORS[0]!, 'StandardScaler'],
    ]),
  );
  draw();
}
