// The training report: one self-contained HTML file (inline CSS, SVG charts and PNG data URLs, no
// scripts) with the configuration, model summary, final metrics, curves and classification results.

import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { GENERATED_MARK, makeDirs } from '../io/out-path.js';
import type { LayerSummary } from '../nn/network.js';
import type { History } from '../train/history.js';
import {
  confusionMatrixSvg,
  historyMetrics,
  learningRateChartSvg,
  lossChartSvg,
  metricChartSvg,
  precisionRecallSvg,
} from './charts.js';
import { escapeHtml } from './escape.js';
import { imageGridHtml, type LabelledImage } from './image-grid.js';
import { namespaceSvgIds } from './inline-svg.js';
import { classScores, confusionMatrix } from './metrics.js';
import { MAX_SCATTER_POINTS, predictedActualSvg, residualsSvg } from './regression-charts.js';
import { REPORT_CSS } from './style.js';

/** One row of the model summary: the network's summary row (Network.summary()) without the weight shape. */
export type ReportLayer = Omit<LayerSummary, 'weightShape'>;

/** Everything the report shows. */
export interface ReportInput {
  /** The page's title. */
  title: string;
  /** The training history: the loss and metric curves. */
  history: History;
  /** The architecture table. */
  summary: {
    /** One row per layer. */
    layers: ReportLayer[];
    /** Trainable values of the network. */
    totalParameters: number;
  };
  /** The run's configuration, shown as a table. */
  config: Record<string, string | number | boolean | null>;
  /** Final metrics by split, e.g. `{ train: { loss, accuracy }, test: { loss, accuracy } }`. */
  metrics: Record<string, Record<string, number>>;
  /** Names of the classes by index; default "0", "1", ... */
  classNames?: string[];
  /** Class indices of an evaluated set (classification only): gives the confusion matrix and per-class scores. */
  evaluation?: {
    /** The true class index of each example. */
    trueLabels: ArrayLike<number>;
    /** The predicted class index of each example. */
    predicted: ArrayLike<number>;
  };
  /** Misclassified images to show (grayscale or RGB bytes 0..255); the first 36 are drawn. */
  misclassified?: LabelledImage[];
  /** Regression: actual and predicted values of the first target on an evaluated set, and its name. */
  regression?: {
    /** The true values. */
    actual: ArrayLike<number>;
    /** The predicted values, in the same order. */
    predicted: ArrayLike<number>;
    /** The target's name. */
    target: string;
    /** The split evaluated (e.g. `test`). */
    split: string;
  };
}

const MAX_IMAGES = 36;

/** The report as an HTML document string. */
export async function renderReport(input: ReportInput): Promise<string> {
  // Short tables side by side: configuration on the left, model and final metrics on the right.
  const overview = `<div class="overview">${configSection(input.config)}<div>${modelSection(input.summary)}${metricsSection(input.metrics)}</div></div>`;
  const sections = [
    overview,
    await curvesSection(input.history),
    input.evaluation ? await classificationSection(input.evaluation, input.classNames) : '',
    input.regression ? await regressionSection(input.regression) : '',
    input.misclassified && input.misclassified.length > 0 ? imagesSection(input.misclassified) : '',
  ];
  const epochs = input.history.length;
  const seconds = input.history.reduce((sum, r) => sum + (Number.isFinite(r.seconds) ? r.seconds : 0), 0);
  const subtitle =
    `${epochs} epoch${epochs === 1 ? '' : 's'} in ${seconds.toFixed(1)} s · ` +
    `${input.summary.totalParameters.toLocaleString('en-US')} parameters`;
  return `<!DOCTYPE html>
${GENERATED_MARK}
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header><h1>${escapeHtml(input.title)}</h1><p>${escapeHtml(subtitle)}</p></header>
${sections.filter((s) => s !== '').join('\n')}
</main>
</body>
</html>
`;
}

/** The report's file name in its directory. */
export const REPORT_FILE = 'report.html';

/**
 * Writes `dir/report.html` atomically (creating `dir`) and returns its path.
 *
 * @example
 * const { history } = model.fit(x, y, { epochs: 20 });
 * await writeReport('reports/iris', { title: 'iris', history, summary: model.summary(), config: { epochs: 20 }, metrics: { train: model.evaluate(x, y) } });
 */
export async function writeReport(dir: string, input: ReportInput): Promise<string> {
  const html = await renderReport(input);
  await makeDirs(dir);
  const path = join(dir, REPORT_FILE);
  await writeFileAtomic(path, html);
  return path;
}

function configSection(config: ReportInput['config']): string {
  const rows = Object.entries(config).map(
    ([key, value]) =>
      `<tr><td>${escapeHtml(key)}</td><td><code>${escapeHtml(value === null ? '—' : String(value))}</code></td></tr>`,
  );
  return `<section id="config"><h2>Configuration</h2><table class="kv"><tbody>${rows.join('')}</tbody></table></section>`;
}

function modelSection(summary: ReportInput['summary']): string {
  const count = (n: number) => n.toLocaleString('en-US');
  const rows = summary.layers.map(
    (l) =>
      `<tr><td class="num">${l.index}</td><td>${escapeHtml(l.type)}</td><td class="num">${count(l.inputs)}</td>` +
      `<td class="num">${count(l.outputs)}</td><td>${escapeHtml(l.activation)}</td><td class="num">${count(l.parameters)}</td></tr>`,
  );
  return `<section id="model"><h2>Model</h2><table>
<thead><tr><th class="num">#</th><th>Layer</th><th class="num">Inputs</th><th class="num">Outputs</th><th>Activation</th><th class="num">Parameters</th></tr></thead>
<tbody>${rows.join('')}</tbody>
<tfoot><tr><td colspan="5">Total</td><td class="num">${count(summary.totalParameters)}</td></tr></tfoot>
</table></section>`;
}

function metricsSection(metrics: ReportInput['metrics']): string {
  const splits = Object.keys(metrics);
  if (splits.length === 0) return '';
  const names = [...new Set(Object.values(metrics).flatMap((m) => Object.keys(m)))];
  const head = splits.map((s) => `<th class="num">${escapeHtml(s)}</th>`).join('');
  const rows = names.map((name) => {
    const cells = splits.map((s) => {
      const value = metrics[s]![name];
      return `<td class="num">${value === undefined ? '' : formatNumber(value)}</td>`;
    });
    return `<tr><td>${escapeHtml(name)}</td>${cells.join('')}</tr>`;
  });
  return `<section id="metrics"><h2>Final metrics</h2><table><thead><tr><th>Metric</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

async function curvesSection(history: History): Promise<string> {
  if (history.length === 0) {
    return `<section id="curves"><h2>Training curves</h2><p class="note">No epoch was recorded.</p></section>`;
  }
  const charts = [await lossChartSvg(history)];
  for (const metric of historyMetrics(history)) charts.push(await metricChartSvg(history, metric));
  const lr = await learningRateChartSvg(history);
  if (lr) charts.push(lr);
  const figures = charts.map((svg, i) => chart(svg, `curve${i}-`));
  const validated = history.some((r) => Object.keys(r).some((k) => k.startsWith('val_')));
  const note = validated
    ? ''
    : `<p class="note" id="no-validation">No validation split: these are training curves only. Hold out rows with <code>--validation-split 0.1</code> to see whether the model overfits.</p>`;
  return `<section id="curves"><h2>Training curves</h2><div class="charts">${figures.join('')}</div>${note}</section>`;
}

async function regressionSection(r: NonNullable<ReportInput['regression']>): Promise<string> {
  const n = r.actual.length;
  const shown = Math.min(n, Math.ceil(n / Math.ceil(n / MAX_SCATTER_POINTS)));
  const note = `<p class="note">${escapeHtml(r.split)} rows: ${n.toLocaleString('en-US')}${shown < n ? ` (one in ${Math.ceil(n / MAX_SCATTER_POINTS)} drawn)` : ''}. Points on the dashed line are predicted exactly.</p>`;
  return (
    `<section id="regression"><h2>Regression</h2><div class="charts">${chart(await predictedActualSvg(r.actual, r.predicted, r.target), 'pa-')}` +
    `${chart(await residualsSvg(r.actual, r.predicted, r.target), 'res-')}</div>${note}</section>`
  );
}

async function classificationSection(
  evaluation: NonNullable<ReportInput['evaluation']>,
  classNamesGiven: string[] | undefined,
): Promise<string> {
  let maxLabel = -1;
  for (const labels of [evaluation.trueLabels, evaluation.predicted]) {
    for (let i = 0; i < labels.length; i++) maxLabel = Math.max(maxLabel, labels[i]!);
  }
  const classNames = classNamesGiven ?? Array.from({ length: maxLabel + 1 }, (_, i) => String(i));
  if (classNames.length === 0) return '';
  const matrix = confusionMatrix(evaluation.trueLabels, evaluation.predicted, classNames.length);
  const scores = classScores(matrix);
  const total = scores.support.reduce((a, b) => a + b, 0);
  const correct = matrix.reduce((sum, row, c) => sum + row[c]!, 0);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  const rows = classNames.map(
    (name, c) =>
      `<tr><td>${escapeHtml(name)}</td><td class="num">${formatNumber(scores.precision[c]!)}</td><td class="num">${formatNumber(scores.recall[c]!)}</td>` +
      `<td class="num">${formatNumber(scores.f1[c]!)}</td><td class="num">${scores.support[c]}</td></tr>`,
  );
  const table =
    `<table><thead><tr><th>Class</th><th class="num">Precision</th><th class="num">Recall</th><th class="num">F1</th><th class="num">Support</th></tr></thead>
<tbody>${rows.join('')}</tbody>
<tfoot><tr><td>Macro average</td><td class="num">${formatNumber(mean(scores.precision))}</td><td class="num">${formatNumber(mean(scores.recall))}</td>` +
    `<td class="num">${formatNumber(mean(scores.f1))}</td><td class="num">${total}</td></tr></tfoot></table>`;
  const accuracy =
    total === 0
      ? ''
      : `<p class="note">${correct} of ${total} correct (accuracy ${formatNumber(correct / total)}). Rows: true class; columns: predicted class.</p>`;

  return `<section id="classification"><h2>Classification</h2>
<div class="columns"><div>${chart(await confusionMatrixSvg(matrix, classNames), 'cm-')}${accuracy}</div>
<div>${table}${chart(await precisionRecallSvg(scores, classNames), 'pr-')}</div></div></section>`;
}

function imagesSection(images: LabelledImage[]): string {
  const shown = Math.min(images.length, MAX_IMAGES);
  const note = images.length > shown ? ` (first ${shown} of ${images.length})` : ` (${images.length})`;
  return (
    `<section id="misclassified"><h2>Misclassified examples${note}</h2>` +
    `${imageGridHtml(images, { limit: MAX_IMAGES })}<p class="note">Each caption reads true class → predicted class.</p></section>`
  );
}

function chart(svg: string, idPrefix: string): string {
  return `<div class="chart">${namespaceSvgIds(svg, idPrefix)}</div>`;
}

/**
 * Four decimals for every number, so that a column reads alike ("1.0000" above "0.9091"); exponent
 * form for magnitudes from 10⁶ and below 10⁻⁴, "—" for NaN, ±Infinity spelled out.
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '—' : String(x);
  if (x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-4)) return x.toExponential(3);
  return x.toFixed(4);
}
