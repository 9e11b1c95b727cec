// The decision boundary (or regression surface) as a heat map, with the training and test points on top.
import type { DataSet } from '../datasets.js';
import { drawHeatmap, fitCanvas } from './canvas.js';
import { cssColor } from './colors.js';

/** Maps a plotted value to the colour scale: probabilities around 0.5, regression values around the targets' mid-range. */
export function valueScale(data: DataSet): (v: number) => number {
  if (!data.regression) return (p) => 2 * p - 1;
  let low = Infinity,
    high = -Infinity;
  for (const v of data.y) {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  const mid = (low + high) / 2;
  const half = Math.max((high - low) / 2, 1e-6);
  return (v) => (v - mid) / half;
}

/** What the boundary view shows: the test points (squares) and a discretised output (TensorFlow Playground's toggles). */
export interface BoundaryOptions {
  showTest: boolean;
  /** Classification: paint each point of the plane by its predicted class instead of P(class 1). */
  discretize: boolean;
}

/** Paints the network's output over the plane, then the examples (circles: training, squares: test). */
export function drawBoundary(
  canvas: HTMLCanvasElement,
  data: DataSet,
  output: Float32Array,
  gridSize: number,
  options: BoundaryOptions = { showTest: true, discretize: false },
): void {
  const { ctx, width, height } = fitCanvas(canvas, 1);
  const scale = valueScale(data);
  const discrete = options.discretize && !data.regression;
  drawHeatmap(ctx, gridSize, (i) => (discrete ? (output[i]! >= 0.5 ? 1 : -1) : scale(output[i]!)), 0, 0, width, height);
  const [[lo1, hi1], [lo2, hi2]] = data.domain;
  const px = (v: number): number => ((v - lo1) / (hi1 - lo1)) * width;
  const py = (v: number): number => ((hi2 - v) / (hi2 - lo2)) * height;
  const r = Math.max(2.5, width / 110);
  const point = (i: number, test: boolean): void => {
    const x = px(data.x[2 * i]!),
      y = py(data.x[2 * i + 1]!);
    ctx.beginPath();
    if (test) ctx.rect(x - r, y - r, 2 * r, 2 * r);
    else ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fillStyle = cssColor(scale(data.y[i]!));
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = test ? '#1d2330' : '#ffffff';
    ctx.stroke();
  };
  for (const i of data.trainIdx) point(i, false);
  if (options.showTest) for (const i of data.testIdx) point(i, true);
  drawAxes(ctx, width, height, data.domain);
}

function drawAxes(ctx: CanvasRenderingContext2D, width: number, height: number, domain: DataSet['domain']): void {
  ctx.fillStyle = 'rgba(29,35,48,0.75)';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'bottom';
  ctx.textAlign = 'right';
  ctx.fillText(`x₁ ∈ [${fmt(domain[0][0])}, ${fmt(domain[0][1])}]`, width - 4, height - 3);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(`x₂ ∈ [${fmt(domain[1][0])}, ${fmt(domain[1][1])}]`, 4, 3);
}

function fmt(v: number): string {
  return Number(v.toPrecision(3)).toString();
}
