// A small line chart on a canvas: several series over a shared x axis, linear or logarithmic y.
import { fitCanvas } from './canvas.js';

export interface Series {
  label: string;
  values: readonly number[];
  color: string;
  dashed?: boolean;
  /** Its own x values (a previous run's epochs), instead of the chart's shared ones. */
  x?: readonly number[];
}

/**
 * Tick positions in plotted units between `low` and `high`: the integer exponents on a log scale
 * (the ends when the range spans less than one decade), multiples of a 1-2-5 step on a linear one.
 */
export function ticks(low: number, high: number, log: boolean): number[] {
  if (log) {
    const decades: number[] = [];
    for (let k = Math.ceil(low); k <= Math.floor(high); k++) decades.push(k);
    return decades.length >= 2 ? decades : [low, high].map((v) => Number(v.toFixed(2)));
  }
  const raw = (high - low) / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

/** Draws the series against x (e.g. epochs); non-finite values (and ≤ 0 on a log scale) are gaps. */
export function drawLineChart(
  canvas: HTMLCanvasElement,
  x: readonly number[],
  series: readonly Series[],
  options: { log?: boolean; xLabel: string },
): void {
  const { ctx, width, height } = fitCanvas(canvas, 0.55);
  ctx.clearRect(0, 0, width, height);
  const left = 44,
    right = 8,
    top = 8,
    bottom = 22;
  const plotW = width - left - right,
    plotH = height - top - bottom;
  const usable = (v: number): boolean => Number.isFinite(v) && (!options.log || v > 0);
  const f = (v: number): number => (options.log ? Math.log10(v) : v);
  let low = Infinity,
    high = -Infinity;
  for (const s of series)
    s.values.forEach((v, i) => {
      // A previous run's points count only within this run's epochs.
      if (!usable(v) || (s.x && x.length > 0 && s.x[i]! > Math.max(x[x.length - 1]!, x[0]! + 1))) return;
      low = Math.min(low, f(v));
      high = Math.max(high, f(v));
    });
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
  const x0 = x[0]!,
    x1 = Math.max(x[x.length - 1]!, x0 + 1);
  const px = (v: number): number => left + ((v - x0) / (x1 - x0)) * plotW;
  const py = (v: number): number => top + (1 - (f(v) - low) / (high - low)) * plotH;
  // Ticks: each power of ten on a log scale, 1-2-5 steps on a linear one, with faint grid lines.
  const label = (v: number): string => {
    if (!options.log) return Number(v.toPrecision(3)).toString();
    return Number.isInteger(v) ? `1e${v}` : (10 ** v).toPrecision(2);
  };
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of ticks(low, high, options.log ?? false)) {
    const y = top + (1 - (t - low) / (high - low)) * plotH;
    ctx.strokeStyle = '#eceef3';
    ctx.beginPath();
    ctx.moveTo(left + 1, y);
    ctx.lineTo(left + plotW - 1, y);
    ctx.stroke();
    ctx.fillText(label(t), left - 4, y);
  }
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(`${options.xLabel} ${x0}`, left, top + plotH + 4);
  ctx.textAlign = 'right';
  ctx.fillText(`${Number(x1.toPrecision(4))}`, left + plotW, top + plotH + 4);
  // A series with its own x (a previous run) may reach beyond this run's epochs: clip to the plot.
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, plotW, plotH);
  ctx.clip();
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
      const xi = (s.x ?? x)[i]!;
      if (pen) ctx.lineTo(px(xi), py(v));
      else ctx.moveTo(px(xi), py(v));
      pen = true;
    });
    ctx.stroke();
  }
  ctx.restore();
  ctx.setLineDash([]);
}
