// The report's regression charts: predicted against actual values (with the line y = x that a
// perfect model would sit on) and the residuals (actual − predicted) against the predictions.

import type { TopLevelSpec } from 'vega-lite';
import { check, ShapeError } from '../core/errors.js';
import { CONFIG, TRAIN_COLOR } from './charts.js';
import { renderVegaLiteSvg } from './vega-render.js';

/** More points than this are thinned to every k-th, so the SVG stays small. */
export const MAX_SCATTER_POINTS = 2000;

/** Pairs (actual, predicted), every k-th when there are more than MAX_SCATTER_POINTS. */
function points(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  where: string,
): { actual: number; predicted: number }[] {
  check(
    actual.length === predicted.length && actual.length > 0,
    ShapeError,
    () => `${where}: ${actual.length} actual and ${predicted.length} predicted values (need equal, non-zero counts)`,
  );
  const stride = Math.ceil(actual.length / MAX_SCATTER_POINTS);
  const out: { actual: number; predicted: number }[] = [];
  for (let i = 0; i < actual.length; i += stride) {
    if (Number.isFinite(actual[i]) && Number.isFinite(predicted[i]))
      out.push({ actual: actual[i]!, predicted: predicted[i]! });
  }
  return out;
}

/** Predicted against actual values of one target, with the diagonal y = x. */
export async function predictedActualSvg(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  target = 'target',
): Promise<string> {
  const rows = points(actual, predicted, 'predictedActualSvg');
  const values = rows.flatMap((r) => [r.actual, r.predicted]);
  const lo = Math.min(...values),
    hi = Math.max(...values);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    title: `Predicted vs actual ${target}`,
    width: 300,
    height: 300,
    layer: [
      {
        data: {
          values: [
            { actual: lo, predicted: lo },
            { actual: hi, predicted: hi },
          ],
        },
        mark: { type: 'line', color: '#9ca3af', strokeDash: [4, 4] },
        encoding: { x: { field: 'actual', type: 'quantitative' }, y: { field: 'predicted', type: 'quantitative' } },
      },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 16, opacity: 0.5, color: TRAIN_COLOR },
        encoding: {
          x: {
            field: 'actual',
            type: 'quantitative',
            title: `actual ${target}`,
            scale: { domain: [lo, hi], zero: false },
          },
          y: {
            field: 'predicted',
            type: 'quantitative',
            title: `predicted ${target}`,
            scale: { domain: [lo, hi], zero: false },
          },
        },
      },
    ],
  };
  return renderVegaLiteSvg(spec);
}

/** Residuals actual − predicted against the predicted value, with the zero line. */
export async function residualsSvg(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  target = 'target',
): Promise<string> {
  const rows = points(actual, predicted, 'residualsSvg').map((r) => ({
    predicted: r.predicted,
    residual: r.actual - r.predicted,
  }));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    title: `Residuals of ${target}`,
    width: 300,
    height: 300,
    layer: [
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: 'rule', color: '#9ca3af', strokeDash: [4, 4] },
        encoding: { y: { field: 'zero', type: 'quantitative' } },
      },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 16, opacity: 0.5, color: TRAIN_COLOR },
        encoding: {
          x: { field: 'predicted', type: 'quantitative', title: `predicted ${target}`, scale: { zero: false } },
          y: { field: 'residual', type: 'quantitative', title: 'actual − predicted' },
        },
      },
    ],
  };
  return renderVegaLiteSvg(spec);
}
