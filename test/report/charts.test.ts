// Chart SVGs: one mark per data item, offline rendering, and the errors of bad inputs.

import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '../../src/core/errors.js';
import {
  confusionMatrixSvg,
  historyMetrics,
  lossChartSvg,
  metricChartSvg,
  precisionRecallSvg,
} from '../../src/report/charts.js';
import { classScores, confusionMatrix } from '../../src/report/metrics.js';
import type { History } from '../../src/train/history.js';
import { CLASS_NAMES, countRole, HISTORY, PREDICTED, TRUE_LABELS } from './history-fixture.js';

describe('historyMetrics', () => {
  it('lists metric names without bookkeeping keys or val_ prefixes', () => {
    expect(historyMetrics(HISTORY)).toEqual(['accuracy']);
    const regression: History = [{ epoch: 1, loss: 1, seconds: 1, lr: 0.1, mse: 1, mae: 1, val_r2: 0.5 }];
    expect(historyMetrics(regression)).toEqual(['mse', 'mae', 'r2']);
  });
});

describe('curve charts', () => {
  it('draws a train and a validation line with a point per epoch', async () => {
    const svg = await lossChartSvg(HISTORY);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(countRole(svg, 'line mark')).toBe(2);
    expect(countRole(svg, 'point')).toBe(6);
    expect(svg).toContain('aria-label="epoch: 3; loss: 0.7; split: validation"');
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // nothing to fetch
  });

  it('draws only the series that exist and skips non-finite values', async () => {
    const history: History = [
      { epoch: 1, loss: 2, seconds: 1, lr: 0.1, mse: 4 },
      { epoch: 2, loss: NaN, seconds: 1, lr: 0.1, mse: 3 },
      { epoch: 3, loss: 1, seconds: 1, lr: 0.1, mse: 2 },
    ];
    const loss = await lossChartSvg(history);
    expect(countRole(loss, 'line mark')).toBe(1);
    expect(countRole(loss, 'point')).toBe(2);
    expect(countRole(await metricChartSvg(history, 'mse'), 'point')).toBe(3);
  });

  it('drops the points of long histories but keeps the lines', async () => {
    const long: History = Array.from({ length: 100 }, (_, i) => ({
      epoch: i + 1,
      loss: 1 / (i + 1),
      seconds: 1,
      lr: 0.1,
    }));
    const svg = await lossChartSvg(long);
    expect(countRole(svg, 'line mark')).toBe(1);
    expect(countRole(svg, 'point')).toBe(0);
  });

  it('names the recorded metrics when asked for a missing one', async () => {
    await expect(metricChartSvg(HISTORY, 'mae')).rejects.toThrow(ConfigError);
    await expect(metricChartSvg(HISTORY, 'mae')).rejects.toThrow(/no finite values of "mae".*recorded: loss, accuracy/);
  });
});

describe('confusionMatrixSvg', () => {
  it('has one cell and one count per pair of classes', async () => {
    const svg = await confusionMatrixSvg(confusionMatrix(TRUE_LABELS, PREDICTED, 3), CLASS_NAMES);
    expect(countRole(svg, 'rect mark')).toBe(9);
    // Counts only in the 7 non-empty cells; the 2 empty ones stay blank.
    expect(countRole(svg, 'text mark')).toBe(7);
    expect(svg).not.toMatch(/role-description="text mark"[^>]*count: 0/);
    expect(svg).toContain('aria-label="predicted: bird; true: bird; count: 2"');
    expect(svg).toContain('aria-label="predicted: dog; true: cat; count: 1"');
  });

  it('rejects a matrix of the wrong size and duplicate class names', async () => {
    await expect(
      confusionMatrixSvg(
        [
          [1, 0],
          [0, 1],
        ],
        CLASS_NAMES,
      ),
    ).rejects.toThrow(ShapeError);
    await expect(
      confusionMatrixSvg(
        [
          [1, 0],
          [0, 1],
        ],
        ['a', 'a'],
      ),
    ).rejects.toThrow(/"a" appears twice/);
  });
});

describe('precisionRecallSvg', () => {
  it('has a precision bar and a recall bar per class', async () => {
    const scores = classScores(confusionMatrix(TRUE_LABELS, PREDICTED, 3));
    const svg = await precisionRecallSvg(scores, CLASS_NAMES);
    expect(countRole(svg, 'bar')).toBe(6);
    expect(svg).toMatch(/aria-label="class: dog; value: 0\.5; measure: recall"/);
  });

  it('rejects scores that do not match the class names', async () => {
    await expect(precisionRecallSvg({ precision: [1], recall: [1] }, CLASS_NAMES)).rejects.toThrow(ShapeError);
  });
});
