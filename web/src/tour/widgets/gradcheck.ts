// Section 10: the central difference against back-propagation as ε varies, and gradCheck's verdict.

import { SERIES_COLORS } from '../../ui/colors.js';
import { drawLineChart } from '../../ui/line-chart.js';
import { centralDifferenceErrors, checkVerdict, EPSILON_EXPONENTS } from '../calc/gradients.js';
import { canvas, coalesce, el, fmt, slider } from '../dom.js';

export function mountGradCheck(root: HTMLElement): void {
  const controls = el('div', { class: 'controls' });
  const out = el('p', { class: 'readout', testid: 'gradcheck-output' });
  const verdict = el('p', { class: 'readout', testid: 'gradcheck-verdict' });
  const chart = canvas('gradcheck-chart', 'absolute error of the central difference against log10 ε');
  const curve = centralDifferenceErrors(4);
  const draw = coalesce(() => {
    const e = Number(exponent.value),
      k = EPSILON_EXPONENTS.indexOf(e);
    // The chosen ε as a short vertical mark through the curve.
    drawLineChart(
      chart,
      EPSILON_EXPONENTS,
      [
        { label: 'error', values: curve.errors, color: SERIES_COLORS[0]! },
        { label: 'ε', values: [curve.errors[k]! / 30, curve.errors[k]! * 30], x: [e, e], color: SERIES_COLORS[1]! },
      ],
      { xLabel: 'log₁₀ ε', log: true },
    );
    out.textContent = `∂J/∂W^[1]₁₁: back-propagation ${fmt(curve.analytic, 10)}, central difference at ε = 1e${e}: ${fmt(curve.numeric[k]!, 10)}, error ${fmt(curve.errors[k]!, 2)}`;
    const v = checkVerdict(4, 10 ** e);
    verdict.dataset.passed = String(v.passed);
    verdict.textContent = `gradCheck(model, x, y, { epsilon: 1e${e} }): ${v.passed ? 'passed' : 'failed'}, largest relative error ${fmt(v.maxRelativeError, 2)}`;
  });
  const exponent = slider(
    controls,
    { label: 'log₁₀ ε', min: -12, max: -1, step: 0.5, value: -6, testid: 'gradcheck-epsilon' },
    draw,
  );
  root.append(controls, out, verdict, chart);
  draw();
}
