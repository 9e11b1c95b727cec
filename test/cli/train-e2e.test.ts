// End to end on the repository's data sets: train with a seeded 20% test split, then eval, predict,
// summary, gradcheck, report and plot on the saved model.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { featureMatrix, loadBlas, loadModel, readCsvFile, splitColumns } from '../../src/node.js';
import { cli, cliJson, csvFile, DATA, scratch } from './helpers.js';

const common = ['--standardize', '--test-split', '0.2', '--seed', '1'];
/** The backend --backend auto should pick: blas where a BLAS library loads through koffi, else wasm. */
const autoBackend = await loadBlas().then(
  () => 'blas',
  () => 'wasm',
);

interface TrainJson {
  history: { epoch: number; loss: number; accuracy: number; seconds: number }[];
  /** Final metrics of the split; a classification run always has accuracy. */
  train: Record<string, number> & { accuracy: number };
  test: Record<string, number> & { accuracy: number };
  model: string;
  backend: string;
  stopReason: string | null;
}

describe('digits (1797 × 64, 10 classes)', () => {
  const dir = scratch();
  const model = join(dir, 'digits');
  let result: TrainJson;

  beforeAll(async () => {
    const r = await cliJson(
      'train',
      '--data',
      join(DATA, 'digits.csv'),
      '--target',
      'digit',
      '--layers',
      '64,32',
      '--epochs',
      '20',
      ...common,
      '--out',
      model,
      '--report',
      join(dir, 'report'),
    );
    expect(r.code, r.err).toBe(0);
    result = r.json as unknown as TrainJson;
  }, 30_000);

  it('reaches ≥ 95% test accuracy and reports one history entry per epoch', () => {
    expect(result.test.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.history).toHaveLength(20);
    expect(result.history[19]!.loss).toBeLessThan(result.history[0]!.loss / 5);
    expect(result.history.every((h) => h.seconds > 0)).toBe(true);
    expect(result.backend).toBe(autoBackend); // auto: the first of blas, wasm, js that loads
    expect(result.model).toBe(model);
    expect(result.stopReason).toBeNull();
    console.log(
      `digits: test accuracy ${result.test.accuracy.toFixed(4)}, epoch ${(result.history.reduce((s, h) => s + h.seconds, 0) / 20).toFixed(3)} s`,
    );
  });

  it('eval on the whole file gives loss and accuracy consistent with training', async () => {
    const r = await cliJson('eval', '--model', model, '--data', join(DATA, 'digits.csv'));
    expect(r.code).toBe(0);
    // 80% of the rows were trained on, so the full-file accuracy sits between test and train accuracy.
    expect(r.json.accuracy).toBeGreaterThanOrEqual(Math.min(result.test.accuracy, result.train.accuracy) - 1e-9);
    expect(r.json.accuracy).toBeLessThanOrEqual(Math.max(result.test.accuracy, result.train.accuracy) + 1e-9);
    expect(r.json.examples).toBe(1797);
    expect(Object.keys(r.json).sort()).toEqual(['accuracy', 'backend', 'examples', 'loss']);
  });

  it('predict writes one row per example: the label and prob_<label> columns that sum to 1', async () => {
    const out = join(dir, 'preds.csv');
    const r = await cli('predict', '--model', model, '--data', join(DATA, 'digits.csv'), '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('');
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(['digit', ...Array.from({ length: 10 }, (_, k) => `prob_${k}`)].join(','));
    expect(lines).toHaveLength(1798);
    const table = readCsvFile(join(DATA, 'digits.csv'));
    const column = table.header.indexOf('digit');
    const truth = Array.from({ length: table.rowCount }, (_, r) => Number(table.row(r)[column]));
    let correct = 0;
    for (let i = 1; i < lines.length; i++) {
      const cells = lines[i]!.split(',').map(Number);
      expect(cells.slice(1).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(cells[0]).toBe(cells.slice(1).indexOf(Math.max(...cells.slice(1))));
      if (cells[0] === truth[i - 1]) correct++;
    }
    expect(correct / 1797).toBeGreaterThan(0.95);
  });

  it('predictions after loading equal the in-memory model (round trip through the model directory)', async () => {
    const loaded = await loadModel(model);
    const table = readCsvFile(join(DATA, 'digits.csv'));
    const x = featureMatrix(table, splitColumns(table, ['digit']));
    const first = await cli('predict', '--model', model, '--data', join(DATA, 'digits.csv'), '--backend', 'js');
    const rows = first.out
      .trim()
      .split('\n')
      .slice(1, 6)
      .map((l) => l.split(',').slice(1).map(Number));
    const p = loaded.predict(x.sliceRows(0, 5));
    rows.forEach((row, r) => row.forEach((v, k) => expect(v).toBe(p.data[r * 10 + k])));
    // The saved history and scaler round-trip too.
    expect((loaded.trainingConfig.history as unknown[]).length).toBe(20);
    expect(loaded.scaler?.type).toBe('standard');
    expect(loaded.labels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('summary lists the layers, parameter counts, labels and scaler', async () => {
    const r = await cliJson('summary', '--model', model);
    expect(r.code).toBe(0);
    expect(r.json.totalParameters).toBe(64 * 64 + 64 + 64 * 32 + 32 + 32 * 10 + 10);
    expect((r.json.layers as { weightShape: number[] }[]).map((l) => l.weightShape)).toEqual([
      [64, 64],
      [32, 64],
      [10, 32],
    ]);
    expect(r.json.task).toBe('classification');
    expect(r.json.scaler).toEqual({ type: 'standard', features: 64 });
    const text = await cli('summary', '--model', model);
    expect(text.out).toMatch(/total parameters: 6570/);
  });

  it('gradcheck passes in float64 and fails (exit 1) with an impossible threshold', async () => {
    const r = await cliJson(
      'gradcheck',
      '--model',
      model,
      '--data',
      join(DATA, 'digits.csv'),
      '--examples',
      '16',
      '--per-tensor',
      '30',
    );
    expect(r.code).toBe(0);
    expect(r.json.passed).toBe(true);
    expect(r.json.maxRelativeError).toBeLessThan(1e-6);
    expect((r.json.tensors as unknown[]).length).toBe(6);
    const strict = await cli(
      'gradcheck',
      '--model',
      model,
      '--data',
      join(DATA, 'digits.csv'),
      '--examples',
      '16',
      '--per-tensor',
      '30',
      '--threshold',
      '1e-30',
      '--atol',
      '0',
    );
    expect(strict.code).toBe(1);
    expect(strict.err).toMatch(/gradient check failed: max relative error .* exceeds 1e-30/);
  });

  it('writes the HTML report with a confusion matrix, and SVG plots and a report for the saved model', async () => {
    const html = readFileSync(join(dir, 'report', 'report.html'), 'utf8');
    expect(html).toMatch(/<svg/);
    expect(html).toMatch(/Configuration/);
    const plots = await cli('plot', '--model', model, '--out', join(dir, 'plots'));
    expect(plots.code).toBe(0);
    expect(existsSync(join(dir, 'plots', 'loss.svg'))).toBe(true);
    expect(existsSync(join(dir, 'plots', 'accuracy.svg'))).toBe(true);
    const rep = await cli(
      'report',
      '--model',
      model,
      '--data',
      join(DATA, 'digits.csv'),
      '--out',
      join(dir, 'report2'),
    );
    expect(rep.code, rep.err).toBe(0);
    expect(readFileSync(join(dir, 'report2', 'report.html'), 'utf8')).toMatch(/20 epochs/);
  });
});

describe('iris (string labels) and breast cancer', () => {
  it('iris reaches ≥ 93% test accuracy; predict names the species', async () => {
    const dir = scratch();
    const r = await cliJson(
      'train',
      '--data',
      join(DATA, 'iris.csv'),
      '--target',
      'species',
      '--layers',
      '8',
      '--activation',
      'tanh',
      '--lr',
      '0.01',
      '--batch-size',
      '16',
      '--epochs',
      '150',
      ...common,
      '--out',
      join(dir, 'iris'),
    );
    expect(r.code, r.err).toBe(0);
    const test = r.json.test as TrainJson['test'];
    expect(test.accuracy).toBeGreaterThanOrEqual(0.93);
    console.log(`iris: test accuracy ${test.accuracy.toFixed(4)}`);
    const p = await cli('predict', '--model', join(dir, 'iris'), '--data', join(DATA, 'iris.csv'));
    const header = p.out.split('\n')[0]!;
    expect(header).toMatch(/^species,prob_\w+,prob_\w+,prob_\w+$/);
    expect(p.out.split('\n')[1]).toMatch(/^[A-Za-z-]+,/);
  }, 30_000);

  it('breast cancer reaches ≥ 95% test accuracy', async () => {
    const dir = scratch();
    const r = await cliJson(
      'train',
      '--data',
      join(DATA, 'breast_cancer.csv'),
      '--target',
      'benign',
      '--layers',
      '16',
      '--activation',
      'tanh',
      '--lr',
      '0.003',
      '--epochs',
      '40',
      ...common,
      '--out',
      join(dir, 'bc'),
    );
    expect(r.code, r.err).toBe(0);
    const test = r.json.test as TrainJson['test'];
    expect(test.accuracy).toBeGreaterThanOrEqual(0.95);
    console.log(`breast cancer: test accuracy ${test.accuracy.toFixed(4)}`);
  }, 30_000);
});

describe('regression and multilabel predictions', () => {
  it('regression predicts the target column by name and fits y = 2a − b', async () => {
    const dir = scratch();
    const rows = ['a,b,y'];
    for (let i = 0; i < 200; i++) {
      const a = ((i * 37) % 100) / 50 - 1,
        b = ((i * 61) % 100) / 50 - 1;
      rows.push(`${a},${b},${2 * a - b}`);
    }
    const file = csvFile(dir, 'lin.csv', rows.join('\n') + '\n');
    const r = await cliJson(
      'train',
      '--data',
      file,
      '--target',
      'y',
      '--task',
      'regression',
      '--layers',
      '',
      '--lr',
      '0.05',
      '--epochs',
      '60',
      '--out',
      join(dir, 'm'),
    );
    expect(r.code, r.err).toBe(0);
    expect((r.json.train as Record<string, number>).mse).toBeLessThan(1e-3);
    const p = await cli('predict', '--model', join(dir, 'm'), '--data', file);
    const lines = p.out.trim().split('\n');
    expect(lines[0]).toBe('y');
    expect(Number(lines[1])).toBeCloseTo(2 * -1 - -1, 1);
  });

  it('multilabel gives prob_<label> and 0/1 columns per label', async () => {
    const dir = scratch();
    const rows = ['x1,x2,p,q'];
    for (let i = 0; i < 120; i++) {
      const x1 = (i % 12) / 6 - 1,
        x2 = Math.floor(i / 12) / 5 - 1;
      rows.push(`${x1},${x2},${x1 > 0 ? 1 : 0},${x2 > 0 ? 1 : 0}`);
    }
    const file = csvFile(dir, 'ml.csv', rows.join('\n') + '\n');
    const r = await cliJson(
      'train',
      '--data',
      file,
      '--target',
      'p,q',
      '--task',
      'multilabel',
      '--layers',
      '8',
      '--lr',
      '0.05',
      '--epochs',
      '80',
      '--out',
      join(dir, 'm'),
    );
    expect(r.code, r.err).toBe(0);
    expect((r.json.train as Record<string, number>).binary_accuracy).toBeGreaterThan(0.95);
    const p = await cli('predict', '--model', join(dir, 'm'), '--data', file);
    const lines = p.out.trim().split('\n');
    expect(lines[0]).toBe('prob_p,prob_q,p,q');
    expect(lines).toHaveLength(121);
    // Row 120: x1 = 11/6 − 1 > 0 and x2 = 0.8 > 0.
    expect(lines[120]!.split(',').slice(2)).toEqual(['1', '1']);
  });
});
