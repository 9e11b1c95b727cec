// Section 6: the notes' momentum (an exponentially weighted average) against PyTorch's on an elongated bowl.
import { fitCanvas } from '../../ui/canvas.js';
import { SERIES_COLORS } from '../../ui/colors.js';
import { drawLineChart } from '../../ui/line-chart.js';
import { BOWL_KAPPA, bowlPath } from '../calc/training.js';
import { canvas, coalesce, el, fmt, legend, slider } from '../dom.js';

const STEPS = 60,
  LR = 0.02;

function drawPaths(c: HTMLCanvasElement, paths: readonly (readonly [number, number][])[]): void {
  const { ctx, width, height } = fitCanvas(c, 0.5);
  const px = (w1: number): number => ((w1 + 5) / 10) * width,
    py = (w2: number): number => height / 2 - (w2 / 2.5) * (height / 2);
  ctx.clearRect(0, 0, width, height);
  ctx.strokeStyle = '#d6dae3';
  for (const level of [0.5, 2, 5, 10]) {
    ctx.beginPath();
    // The level set ½(w₁² + κw₂²) = J is an ellipse with half-axes √(2J) and √(2J/κ).
    for (let t = 0; t <= 64; t++) {
      const th = (2 * Math.PI * t) / 64,
        r = Math.sqrt(2 * level);
      const w1 = r * Math.cos(th),
        w2 = (r * Math.sin(th)) / Math.sqrt(BOWL_KAPPA);
      if (t === 0) ctx.moveTo(px(w1), py(w2));
      else ctx.lineTo(px(w1), py(w2));
    }
    ctx.stroke();
  }
  paths.forEach((path, k) => {
    ctx.strokeStyle = SERIES_COLORS[k]!;
    ctx.lineWidth = 1.6;
    ctx.beginPath();
    path.forEach(([a, b], i) => (i === 0 ? ctx.moveTo(px(a), py(b)) : ctx.lineTo(px(a), py(b))));
    ctx.stroke();
  });
}

export function mountMomentum(root: HTMLElement): void {
  const controls = el('div', { class: 'controls' });
  const out = el('p', { class: 'readout', testid: 'momentum-output' });
  const paths = canvas('momentum-paths', 'the two paths over the bowl’s level sets');
  const chart = canvas('momentum-chart', 'J per step for both forms of momentum');
  const draw = coalesce(() => {
    const beta = Number(b.value);
    const ema = bowlPath('momentum', beta, LR, STEPS),
      classic = bowlPath('sgd', beta, LR, STEPS);
    out.textContent =
      `β = ${beta}, α = ${LR}: after ${STEPS} steps J = ${fmt(ema.losses[STEPS]!)} (notes, EMA) and ${fmt(classic.losses[STEPS]!)} (PyTorch); ` +
      `PyTorch’s steps are 1/(1 − β) = ${fmt(1 / (1 - beta))} times larger once v settles`;
    drawPaths(paths, [ema.path, classic.path]);
    drawLineChart(
      chart,
      ema.losses.map((_, i) => i),
      [
        { label: 'EMA', values: ema.losses, color: SERIES_COLORS[0]! },
        { label: 'classic', values: classic.losses, color: SERIES_COLORS[1]! },
      ],
      { xLabel: 'step', log: true },
    );
  });
  const b = slider(controls, { label: 'β', min: 0, max: 0.95, step: 0.05, value: 0.9, testid: 'momentum-beta' }, draw);
  root.append(
    controls,
    out,
    el('div', { class: 'pair' }, paths, chart),
    legend([
      [SERIES_COLORS[0]!, 'notes: v = βv + (1 − β)g'],
      [SERIES_COLORS[1]!, 'PyTorch: v = βv + g'],
    ]),
  );
  draw();
}
