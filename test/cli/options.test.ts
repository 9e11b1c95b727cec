// Training options that change the run: schedules, early stopping, batch gradient descent, and the
// option parsers' checks.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdout } from '../../src/cli/split.js';
import { loadModel, type Sequential } from '../../src/node.js';
import { cli, cliJson, csvFile, DATA, scratch } from './helpers.js';

const dir = scratch();
const iris = ['--data', join(DATA, 'iris.csv'), '--target', 'species', '--standardize', '--layers', '8'];

type Logs = { epoch: number; lr: number; loss: number; val_loss?: number }[];

describe('train options', () => {
  it('--schedule step halves the learning rate every --step-size epochs', async () => {
    const r = await cliJson(
      'train',
      ...iris,
      '--optimizer',
      'momentum',
      '--lr',
      '0.04',
      '--schedule',
      'step',
      '--step-size',
      '2',
      '--gamma',
      '0.5',
      '--epochs',
      '5',
      '--out',
      join(dir, 's'),
    );
    expect(r.code, r.err).toBe(0);
    expect((r.json.history as Logs).map((h) => h.lr)).toEqual([0.04, 0.04, 0.02, 0.02, 0.01]);
  });

  it('--schedule cosine goes from lr to 0 over the epochs; exponential multiplies by gamma', async () => {
    const c = await cliJson(
      'train',
      ...iris,
      '--lr',
      '0.01',
      '--schedule',
      'cosine',
      '--epochs',
      '4',
      '--out',
      join(dir, 'c'),
    );
    const lrs = (c.json.history as Logs).map((h) => h.lr);
    [0.01, (0.01 * (1 + Math.cos(Math.PI / 4))) / 2, 0.005, (0.01 * (1 + Math.cos((3 * Math.PI) / 4))) / 2].forEach(
      (v, i) => expect(lrs[i]).toBeCloseTo(v, 12),
    );
    const e = await cliJson(
      'train',
      ...iris,
      '--lr',
      '0.01',
      '--schedule',
      'exponential',
      '--gamma',
      '0.5',
      '--epochs',
      '3',
      '--out',
      join(dir, 'e'),
    );
    expect((e.json.history as Logs).map((h) => h.lr)).toEqual([0.01, 0.005, 0.0025]);
  });

  it('--early-stopping stops when val_loss stops improving and keeps the best weights', async () => {
    // Labels that are noise: validation loss rises as soon as the network starts memorising.
    const rows = ['a,b,c,d,y'];
    for (let i = 0; i < 80; i++)
      rows.push(`${Math.sin(i)},${Math.cos(3 * i)},${Math.sin(7 * i)},${Math.cos(11 * i)},${(i * 7919) % 3}`);
    const file = csvFile(dir, 'noise.csv', rows.join('\n') + '\n');
    const r = await cliJson(
      'train',
      '--data',
      file,
      '--target',
      'y',
      '--layers',
      '64,64',
      '--lr',
      '0.01',
      '--epochs',
      '200',
      '--validation-split',
      '0.3',
      '--early-stopping',
      '3',
      '--out',
      join(dir, 'es'),
    );
    expect(r.code, r.err).toBe(0);
    const history = r.json.history as Logs;
    expect(history.length).toBeLessThan(200);
    expect(r.json.stopReason).toMatch(
      /^early stopping: val_loss did not improve for 3 epochs \(best .* at epoch \d+\)$/,
    );
    const best = Math.min(...history.map((h) => h.val_loss!));
    // The saved model is the best epoch's: its validation loss equals the best one logged.
    expect((r.json.validation as { loss: number }).loss).toBeCloseTo(best, 5);
  });

  it('--batch-size all (or larger than the data) is one step per epoch: identical runs', async () => {
    const a = await cliJson('train', ...iris, '--batch-size', 'all', '--epochs', '3', '--out', join(dir, 'ba'));
    const b = await cliJson('train', ...iris, '--batch-size', '100000', '--epochs', '3', '--out', join(dir, 'bb'));
    expect(a.code).toBe(0);
    expect((a.json.history as Logs).map((h) => h.loss)).toEqual((b.json.history as Logs).map((h) => h.loss));
    const m = await loadModel(join(dir, 'ba'));
    expect(m.trainingConfig.batchSize).toBe('all');
  });

  it('dropout, init, weight decay, L1 and clip-norm are saved in the model', async () => {
    const r = await cli(
      'train',
      ...iris,
      '--dropout',
      '0.3',
      '--init',
      'glorot_uniform',
      '--optimizer',
      'adamw',
      '--weight-decay',
      '0.01',
      '--clip-norm',
      '1',
      '--epochs',
      '2',
      '--out',
      join(dir, 'd'),
      '--quiet',
    );
    expect(r.code, r.err).toBe(0);
    const m = await loadModel(join(dir, 'd'));
    expect(m.summary().layers.map((l) => l.type)).toEqual(['dense', 'dropout', 'dense']);
    expect(m.trainingConfig).toMatchObject({
      init: 'glorot_uniform',
      optimizer: 'adamw',
      weightDecay: 0.01,
      clipNorm: 1,
      dropout: 0.3,
    });
    // The L1 run ends with a smaller Σ|w| than the same run without it.
    const l1 = await cli(
      'train',
      ...iris,
      '--optimizer',
      'sgd',
      '--lr',
      '0.1',
      '--l1',
      '0.05',
      '--epochs',
      '20',
      '--out',
      join(dir, 'l1'),
      '--quiet',
    );
    const plain = await cli(
      'train',
      ...iris,
      '--optimizer',
      'sgd',
      '--lr',
      '0.1',
      '--epochs',
      '20',
      '--out',
      join(dir, 'no-l1'),
      '--quiet',
    );
    expect(l1.code, l1.err).toBe(0);
    expect(plain.code, plain.err).toBe(0);
    const withL1 = await loadModel(join(dir, 'l1'));
    expect(withL1.trainingConfig).toMatchObject({ l1: 0.05, weightDecay: 0 });
    const absSum = (m: Sequential): number =>
      m.parameters().reduce((s, p) => s + Array.from(p.value.data, Math.abs).reduce((a, v) => a + v, 0), 0);
    expect(absSum(withL1)).toBeLessThan(0.7 * absSum(await loadModel(join(dir, 'no-l1'))));
    // --init-from carries the penalty on and says so.
    const more = await cli(
      'train',
      '--data',
      join(DATA, 'iris.csv'),
      '--target',
      'species',
      '--init-from',
      join(dir, 'l1'),
      '--epochs',
      '1',
      '--out',
      join(dir, 'l1-more'),
    );
    expect(more.code, more.err).toBe(0);
    expect(more.err).toMatch(/^continuing .*: from the model: .*weight decay 0, L1 0\.05, schedule constant;/m);
    expect((await loadModel(join(dir, 'l1-more'))).trainingConfig).toMatchObject({ l1: 0.05 });
    // gradcheck runs on the model without its dropout layer.
    const g = await cliJson('gradcheck', '--model', join(dir, 'd'), '--data', join(DATA, 'iris.csv'));
    expect(g.json.passed).toBe(true);
  });

  it('option values are checked with the option named', async () => {
    const bad = async (args: string[], pattern: RegExp): Promise<void> => {
      const r = await cli('train', ...iris, '--out', join(dir, 'x'), ...args);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(pattern);
    };
    await bad(['--test-split', '1.5'], /--test-split: expected a fraction in \[0, 1\), got '1\.5'/);
    await bad(['--l1', '-0.1'], /--l1: must be ≥ 0, got -0\.1/);
    await bad(['--epochs', '2.5'], /--epochs: expected an integer ≥ 0, got '2\.5'/);
    await bad(['--batch-size', '0'], /--batch-size: expected an integer ≥ 1, got '0'/);
    await bad(
      ['--task', 'ranking'],
      /argument 'ranking' is invalid\. Allowed choices are classification, multilabel, regression/,
    );
    await bad(['--schedule', 'cyclic'], /--schedule: unknown schedule 'cyclic'/);
    await bad(['--backend', 'cuda'], /Allowed choices are auto, blas, wasm, js/);
  });
});

describe('holdout', () => {
  it('takes the test rows first, then validation from the rest; seeded and disjoint', () => {
    const a = holdout(100, 0.2, 0.25, 3);
    expect([a.test.length, a.validation.length, a.train.length]).toEqual([20, 20, 60]);
    expect(new Set([...a.test, ...a.validation, ...a.train]).size).toBe(100);
    const b = holdout(100, 0.2, 0, 3);
    expect(Array.from(b.test)).toEqual(Array.from(a.test));
    expect(Array.from(holdout(100, 0.2, 0, 4).test)).not.toEqual(Array.from(a.test));
  });
});
