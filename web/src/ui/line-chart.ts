// A small line chart on a canvas: several series over a shared x axis, linear or logarithmic y.
import { fitCanvas } from './canvas.js';

export interface Series {
  label: string;
  values: readonly number[];
  color: string;
  dashed?: boolean;
}

/** Draws the series against x (e.g. epochs); non-finite values (and ≤ 0 on a log scale) are gaps. */
export function drawLineChart(canvas: HTMLCanvasElement, x: readonly number[], series: readonly Series[], options: { log?: boolean; xLabel: string }): void {
  const { ctx, width, height } = fitCanvas(canvas, 0.55);
  ctx.clearRect(0, 0, width, height);
  const left = 44, right = 8, top = 8, bottom = 22;
  const plotW = width - left - right, plotH = height - top - bottom;
  const usable = (v: number): boolean => Number.isFinite(v) && (!options.log || v > 0);
  const f = (v: number): number => (options.log ? Math.log10(v) : v);
  let low = Infinity, high = -Infinity;
  for (const s of series) for (const v of s.values) if (usable(v)) {
    low = Math.min(low, f(v));
    high = Math.max(high, f(v));
  }
  ctx.strokeStyle = '#d6dae3';
  ctx.lineWidth = 1;
  ctx.strokeRect(left, top, plotW, plotH);
  ctx.fillStyle = '#5b6475';
  ctx.font = '11px system-ui, sans-serif';
  if (!Number.isFinite(low) || x.length === 0) {
    ctx.textAlign = 'center';
    ctx.fillText('no data yet', left + plotW / 2, top + plotH / 2);
    return;
  }
  if (!options.log) low = Math.min(low, 0);
  if (high - low < 1e-9) high = low + 1;
  const x0 = x[0]!, x1 = Math.max(x[x.length - 1]!, x0 + 1);
  const px = (v: number): number => left + ((v - x0) / (x1 - x0)) * plotW;
  const py = (v: number): number => top + (1 - (f(v) - low) / (high - low)) * plotH;
  const tick = (v: number): string => (options.log ? (10 ** v).toExponential(1) : Number(v.toPrecision(3)).toString());
  ctx.textAlign = 'right';
  ctx.textBaseline = 'top';
  ctx.fillText(tick(high), left - 4, top);
  ctx.textBaseline = 'bottom';
  ctx.fillText(tick(low), left - 4, top + plotH);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(`${options.xLabel} ${x0}`, left, top + plotH + 4);
  ctx.textAlign = 'right';
  ctx.fillText(`${x1}`, left + plotW, top + plotH + 4);
  for (const s of series) {
    ctx.beginPath();
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 1.6;
    ctx.setLineDash(s.dashed ? [5, 3] : []);
    let pen = false;
    s.values.forEach((v, i) => {
      if (!usable(v)) {
        pen = false;
        return;
      }
      if (pen) ctx.lineTo(px(x[i]!), py(v));
      else ctx.moveTo(px(x[i]!), py(v));
      pen = true;
    });
    ctx.stroke();
  }
  ctx.setLineDash([]);
}
