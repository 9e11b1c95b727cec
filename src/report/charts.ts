// The report's charts as SVG strings: training curves from a history, the confusion matrix as a
// heat map and per-class precision/recall bars. Specs are Vega-Lite, rendered offline.

import type { TopLevelSpec } from 'vega-lite';
import { ConfigError, check, ShapeError } from '../core/errors.js';
import type { History } from '../train/history.js';
import type { ClassScores } from './metrics.js';
import { renderVegaLiteSvg } from './vega-render.js';

/** Fonts every reader has: the SVG names them, nothing is downloaded. */
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
export const TRAIN_COLOR = '#2563eb';
const VALIDATION_COLOR = '#ea580c';
/** Beyond this many epochs the curves are drawn without a point per epoch. */
const MAX_POINTS_PER_SERIES = 60;

export const CONFIG = {
  font: FONT,
  background: 'white',
  view: { stroke: '#d1d5db' },
  axis: {
    labelColor: '#374151',
    titleColor: '#111827',
    gridColor: '#eef0f3',
    domainColor: '#9ca3af',
    tickColor: '#9ca3af',
    titleFontWeight: 600,
  },
  legend: { labelColor: '#374151', titleColor: '#111827' },
  title: { fontSize: 14, fontWeight: 600, color: '#111827', anchor: 'start' },
} as const;

/** Keys of an epoch record that are bookkeeping rather than metrics. */
const NOT_METRICS = new Set(['epoch', 'loss', 'seconds', 'lr']);

/**
 * The metric names recorded in a history besides the loss (`accuracy`, `mse`, ...), in order of
 * first appearance; a `val_x` key contributes `x`.
 */
export function historyMetrics(history: History): string[] {
  const names = new Set<string>();
  for (const record of history) {
    for (const key of Object.keys(record)) {
      const name = key.startsWith('val_') ? key.slice(4) : key;
      if (!NOT_METRICS.has(name)) names.add(name);
    }
  }
  return [...names];
}

/** Training and validation loss against the epoch. */
export async function lossChartSvg(history: History): Promise<string> {
  return metricChartSvg(history, 'loss');
}

/**
 * Curves of one metric against the epoch: `metric` as "train" and `val_<metric>` as "validation"
 * (when recorded). Non-finite values (a diverged loss) are left out of the lines.
 */
export async function metricChartSvg(history: History, metric: string): Promise<string> {
  interface Row {
    epoch: number;
    value: number;
    split: string;
  }
  const rows: Row[] = [];
  for (const [split, key] of [
    ['train', metric],
    ['validation', `val_${metric}`],
  ] as const) {
    for (const record of history) {
      const value = record[key];
      if (typeof value === 'number' && Number.isFinite(value)) rows.push({ epoch: record.epoch, value, split });
    }
  }
  check(
    rows.length > 0,
    ConfigError,
    () =>
      `metricChartSvg: the history has no finite values of "${metric}" or "val_${metric}" ` +
      `(recorded: ${['loss', ...historyMetrics(history)].join(', ')})`,
  );

  const splits = [...new Set(rows.map((r) => r.split))];
  const perSeries = Math.max(...splits.map((s) => rows.filter((r) => r.split === s).length));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    title: metric === 'loss' ? 'Loss' : metric,
    width: 360,
    height: 220,
    data: { values: rows },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
      color: {
        field: 'split',
        type: 'nominal',
        title: null,
        scale: { domain: ['train', 'validation'], range: [TRAIN_COLOR, VALIDATION_COLOR] },
        legend: { orient: 'top', direction: 'horizontal', values: splits },
      },
    },
    layer: [
      { mark: { type: 'line', strokeWidth: 2 } },
      ...(perSeries <= MAX_POINTS_PER_SERIES
        ? [{ mark: { type: 'point' as const, filled: true, size: 36, opacity: 1 } }]
        : []),
    ],
  };
  return renderVegaLiteSvg(spec);
}

/** The learning rate of each epoch (history's `lr`), on a log axis when it spans more than a factor of 10; null without one. */
export async function learningRateChartSvg(history: History): Promise<string | null> {
  const rows = history
    .filter((r) => typeof r.lr === 'number' && Number.isFinite(r.lr) && r.lr > 0)
    .map((r) => ({ epoch: r.epoch, lr: r.lr }));
  if (rows.length === 0) return null;
  const lrs = rows.map((r) => r.lr);
  const log = Math.max(...lrs) / Math.min(...lrs) > 10;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    title: 'Learning rate',
    width: 360,
    height: 220,
    data: { values: rows },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
      y: {
        field: 'lr',
        type: 'quantitative',
        title: 'learning rate',
        scale: log ? { type: 'log' } : { zero: true },
        axis: { format: '~g' },
      },
    },
    layer: [
      { mark: { type: 'line', strokeWidth: 2, color: TRAIN_COLOR, interpolate: 'step-after' } },
      ...(rows.length <= MAX_POINTS_PER_SERIES
        ? [{ mark: { type: 'point' as const, filled: true, size: 36, opacity: 1, color: TRAIN_COLOR } }]
        : []),
    ],
  };
  return renderVegaLiteSvg(spec);
}

/**
 * The confusion matrix (`matrix[true][predicted]`) as a heat map: one cell per pair of classes,
 * shaded by count, with the count written in it; true classes down, predicted across.
 */
export async function confusionMatrixSvg(
  matrix: readonly (readonly number[])[],
  classNames: readonly string[],
): Promise<string> {
  const n = classNames.length;
  checkClassNames('confusionMatrixSvg', classNames);
  check(
    matrix.length === n && matrix.every((row) => row.length === n),
    ShapeError,
    () =>
      `confusionMatrixSvg: expected a ${n}×${n} matrix for ${n} class names, got ` +
      `${matrix.length}×${matrix[0]?.length ?? 0}`,
  );

  const rows = matrix.flatMap((row, t) =>
    row.map((count, p) => ({ true: classNames[t], predicted: classNames[p], count })),
  );
  const max = Math.max(1, ...rows.map((r) => r.count));
  const step = clamp(Math.round(380 / n), 22, 48);
  const labelAngle = labelAngleFor(classNames, step);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: { ...CONFIG, view: { stroke: null }, axis: { ...CONFIG.axis, domain: false, ticks: false, grid: false } },
    title: 'Confusion matrix',
    width: step * n,
    height: step * n,
    data: { values: rows },
    encoding: {
      x: {
        field: 'predicted',
        type: 'nominal',
        sort: [...classNames],
        title: 'predicted',
        axis: { orient: 'top', labelAngle, labelPadding: 4 },
      },
      y: { field: 'true', type: 'nominal', sort: [...classNames], title: 'true', axis: { labelPadding: 4 } },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          color: {
            field: 'count',
            type: 'quantitative',
            title: 'count',
            scale: { scheme: 'blues', domain: [0, max] },
            legend: { gradientLength: Math.min(step * n, 200) },
          },
        },
      },
      {
        // Empty cells stay blank: zeros written in every cell hide the few that matter.
        transform: [{ filter: 'datum.count > 0' }],
        mark: { type: 'text', fontSize: step >= 30 ? 12 : 10 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: {
            condition: [{ test: `datum.count > ${max / 2}`, value: 'white' }],
            value: '#111827',
          },
        },
      },
    ],
  };
  return renderVegaLiteSvg(spec);
}

/** Grouped bars of each class's precision and recall (from {@link classScores}), on a 0..1 axis. */
export async function precisionRecallSvg(
  scores: Pick<ClassScores, 'precision' | 'recall'>,
  classNames: readonly string[],
): Promise<string> {
  const n = classNames.length;
  checkClassNames('precisionRecallSvg', classNames);
  check(
    scores.precision.length === n && scores.recall.length === n,
    ShapeError,
    () =>
      `precisionRecallSvg: ${n} class names but ${scores.precision.length} precisions and ${scores.recall.length} recalls`,
  );

  const rows = classNames.flatMap((name, c) => [
    { class: name, measure: 'precision', value: scores.precision[c] },
    { class: name, measure: 'recall', value: scores.recall[c] },
  ]);
  // The step is that of one bar (xOffset band), two per class.
  const step = clamp(Math.round(200 / n), 10, 28);
  const labelAngle = labelAngleFor(classNames, 2 * step);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    title: 'Precision and recall per class',
    width: { step },
    height: 200,
    data: { values: rows },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'class', type: 'nominal', sort: [...classNames], title: 'class', axis: { labelAngle } },
      xOffset: { field: 'measure', type: 'nominal', sort: ['precision', 'recall'] },
      y: { field: 'value', type: 'quantitative', title: null, scale: { domain: [0, 1] } },
      color: {
        field: 'measure',
        type: 'nominal',
        title: null,
        scale: { domain: ['precision', 'recall'], range: [TRAIN_COLOR, '#10b981'] },
        legend: { orient: 'top', direction: 'horizontal' },
      },
    },
  };
  return renderVegaLiteSvg(spec);
}

function checkClassNames(where: string, classNames: readonly string[]): void {
  check(classNames.length > 0, ConfigError, () => `${where}: no class names`);
  const seen = new Set<string>();
  for (const name of classNames) {
    check(!seen.has(name), ConfigError, () => `${where}: class name "${name}" appears twice; names must be unique`);
    seen.add(name);
  }
}

/** Slanted axis labels when the longest class name (about 6 px a character at 10 px) overflows its band. */
function labelAngleFor(classNames: readonly string[], band: number): number {
  const longest = Math.max(...classNames.map((name) => name.length));
  return longest * 6 > band - 4 ? -40 : 0;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
