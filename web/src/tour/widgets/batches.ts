// Section 5: batch gradient descent (one step per epoch) against mini-batches, same start.

import { SERIES_COLORS } from '../../ui/colors.js';
import { drawLineChart } from '../../ui/line-chart.js';
import { batchVersusMiniBatch } from '../calc/training.js';
import { canvas, choice, coalesce, el, fmt, legend, slider } from '../dom.js';

export function mountBatches(root: HTMLElement): void {
  const controls = el('div', { class: 'controls' });
  const out = el('p', { class: 'readout', testid: 'batch-output' });
  const chart = canvas('batch-chart', 'training loss per epoch, batch and mini-batch gradient descent');
  const draw = coalesce(() => {
    const epochs = Number(count.value),
      size = Number(batch.value);
    const { batch: full, mini } = batchVersusMiniBatch(epochs, size, 0.5, 3);
    out.textContent = `After ${epochs} epochs: batch J = ${fmt(full[epochs]!, 4)} (${epochs} steps), mini-batch J = ${fmt(mini[epochs]!, 4)} (${epochs * Math.ceil(64 / size)} steps)`;
    const x = full.map((_, e) => e);
    drawLineChart(
      chart,
      x,
      [
        { label: 'batch', values: full, color: SERIES_COLORS[0]! },
        { label: 'mini-batch', values: mini, color: SERIES_COLORS[1]! },
      ],
      { xLabel: 'epoch', log: true },
    );
  });
  const count = slider(
    controls,
    { label: 'epochs', min: 5, max: 40, step: 5, value: 20, testid: 'batch-epochs' },
    draw,
  );
  const batch = choice(
    controls,
    {
      label: 'mini-batch size',
      options: [
        ['4', '4'],
        ['8', '8'],
        ['16', '16'],
        ['32', '32'],
      ],
      value: '8',
      testid: 'batch-size',
    },
    draw,
  );
  root.append(
    controls,
    out,
    chart,
    legend([
      [SERIES_COLORS[0]!, 'batch (all 64)'],
      [SERIES_COLORS[1]!, 'mini-batch'],
    ]),
  );
  draw();
}
