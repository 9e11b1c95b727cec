// Small histograms of each hidden layer's activations over the training set, one row per layer,
// with the share of saturated or dead units beside each.
import type { ActivationStats } from '../activation-stats.js';
import { fitCanvas } from './canvas.js';
import { SERIES_COLORS } from './colors.js';

const percent = (v: number): string => `${(100 * v).toFixed(v < 0.1 ? 1 : 0)} %`;

/** What the share means for learning, in a few words. */
export function shareText(s: ActivationStats): string {
  if (s.saturated !== null) return `${percent(s.saturated)} saturated`;
  if (s.dead !== null) return `${percent(s.dead)} of units dead`;
  return '';
}

export function drawHistograms(canvas: HTMLCanvasElement, layers: readonly ActivationStats[]): void {
  const rows = Math.max(1, layers.length);
  const { ctx, width, height } = fitCanvas(canvas, Math.min(1.2, 0.2 * rows + 0.1));
  ctx.clearRect(0, 0, width, height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#5b6475';
  if (layers.length === 0) {
    ctx.textAlign = 'center';
    ctx.fillText('no hidden layer', width / 2, height / 2);
    return;
  }
  const left = 70,
    right = 96,
    rowH = height / rows;
  layers.forEach((s, l) => {
    const top = l * rowH + 4,
      h = rowH - 18,
      w = width - left - right;
    const max = Math.max(1, ...s.bins);
    const bw = w / s.bins.length;
    ctx.fillStyle = SERIES_COLORS[l % SERIES_COLORS.length]!;
    s.bins.forEach((count, b) => {
      const bh = (count / max) * h;
      ctx.fillRect(left + b * bw + 0.5, top + h - bh, Math.max(1, bw - 1), bh);
    });
    ctx.fillStyle = '#5b6475';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText(`hidden ${l + 1}`, 4, top + h / 2);
    ctx.fillText(shareText(s), left + w + 8, top + h / 2);
    ctx.textBaseline = 'top';
    ctx.fillText(String(Number(s.lo.toPrecision(2))), left, top + h + 2);
    ctx.textAlign = 'right';
    ctx.fillText(String(Number(s.hi.toPrecision(2))), left + w, top + h + 2);
  });
}
