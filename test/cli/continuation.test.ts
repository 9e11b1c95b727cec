// `train --init-from`: what a continued run takes from the saved model and from flags; warnings for
// flags without effect; configuration errors for impossible settings.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/node.js';
import { cli, csvFile, DATA, scratch } from './helpers.js';

const dir = scratch();
const iris = ['--data', join(DATA, 'iris.csv'), '--target', 'species', '--standardize'];

/** A regression CSV: y = a − 2b + noise-free structure. */
function regressionCsv(): string {
  const rows = ['a,b,y'];
  for (let i = 0; i < 60; i++) rows.push(`${Math.sin(i)},${Math.cos(2 * i)},${Math.sin(i) - 2 * Math.cos(2 * i)}`);
  return csvFile(dir, 'reg.csv', rows.join('\n') + '\n');
}

describe('train --init-from continues with the saved training settings', () => {
  it('keeps loss mae, rmsprop, its lr, momentum, weight decay and schedule unless flags override them', async () => {
    const data = regressionCsv();
    const first = join(dir, 'first');
    const a = await cli(
      'train',
      '--data',
      data,
      '--target',
      'y',
      '--task',
      'regression',
      '--layers',
      '6',
      '--loss',
      'mae',
      '--optimizer',
      'rmsprop',
      '--lr',
      '0.005',
      '--momentum',
      '0.3',
      '--weight-decay',
      '0.001',
      '--schedule',
      'step',
      '--step-size',
      '2',
      '--gamma',
      '0.5',
      '--epochs',
      '3',
      '--out',
      first,
      '--quiet',
    );
    expect(a.code, a.err).toBe(0);

    const second = join(dir, 'second');
    const b = await cli(
      'train',
      '--data',
      data,
      '--target',
      'y',
      '--init-from',
      first,
      '--epochs',
      '4',
      '--out',
      second,
    );
    expect(b.code, b.err).toBe(0);
    expect(b.err).toMatch(
      /^continuing .*first: from the model: task regression, loss mae, optimizer rmsprop, lr 0\.005, momentum 0\.3, weight decay 0\.001, schedule step \(stepSize 2, gamma 0\.5\); from flags: nothing$/m,
    );
    const m = await loadModel(second);
    expect(m.loss).toBe('mae');
    expect(m.trainingConfig).toMatchObject({
      task: 'regression',
      loss: 'mae',
      optimizer: 'rmsprop',
      lr: 0.005,
      momentum: 0.3,
      weightDecay: 0.001,
      schedule: { name: 'step', stepSize: 2, gamma: 0.5 },
      layers: [6],
      initFrom: first,
    });
    expect((m.trainingConfig.history as { lr: number }[]).map((h) => h.lr)).toEqual([0.005, 0.005, 0.0025, 0.0025]);

    const third = join(dir, 'third');
    const c = await cli(
      'train',
      '--data',
      data,
      '--target',
      'y',
      '--init-from',
      first,
      '--lr',
      '0.01',
      '--optimizer',
      'sgd',
      '--epochs',
      '1',
      '--out',
      third,
    );
    expect(c.code, c.err).toBe(0);
    // Another optimiser does not inherit the first one's rate or momentum.
    expect(c.err).toMatch(
      /from the model: task regression, loss mae, weight decay 0\.001, schedule step \(stepSize 2, gamma 0\.5\); from flags: optimizer sgd, lr 0\.01$/m,
    );
    expect((await loadModel(third)).trainingConfig).toMatchObject({
      optimizer: 'sgd',
      lr: 0.01,
      momentum: 0,
      loss: 'mae',
    });
  });

  it("architecture flags are ignored with a warning each, and the model's architecture is recorded", async () => {
    const first = join(dir, 'arch1');
    expect(
      (await cli('train', ...iris, '--layers', '5', '--activation', 'tanh', '--epochs', '1', '--out', first, '--quiet'))
        .code,
    ).toBe(0);
    const second = join(dir, 'arch2');
    const r = await cli(
      'train',
      ...iris,
      '--init-from',
      first,
      '--layers',
      '64,32',
      '--activation',
      'relu',
      '--epochs',
      '1',
      '--out',
      second,
      '--quiet',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/^warning: --layers is ignored with --init-from: the saved model's architecture is kept$/m);
    expect(r.err).toMatch(
      /^warning: --activation is ignored with --init-from: the saved model's architecture is kept$/m,
    );
    expect((await loadModel(second)).trainingConfig).toMatchObject({ layers: [5], activation: 'tanh', init: null });
  });
});

describe('model.json records the configuration used', () => {
  it('the momentum an optimiser uses by default, none for adam', async () => {
    expect(
      (
        await cli(
          'train',
          ...iris,
          '--layers',
          '4',
          '--optimizer',
          'nesterov',
          '--epochs',
          '1',
          '--out',
          join(dir, 'n'),
          '--quiet',
        )
      ).code,
    ).toBe(0);
    expect((await loadModel(join(dir, 'n'))).trainingConfig).toMatchObject({
      optimizer: 'nesterov',
      momentum: 0.9,
      lr: 0.01,
    });
    expect(
      (await cli('train', ...iris, '--layers', '4', '--epochs', '1', '--out', join(dir, 'a'), '--quiet')).code,
    ).toBe(0);
    expect((await loadModel(join(dir, 'a'))).trainingConfig).toMatchObject({
      optimizer: 'adam',
      momentum: null,
      lr: 0.001,
    });
  });
});

describe('flags without effect warn once each', () => {
  it.each([
    [['--optimizer', 'adam', '--momentum', '0.9'], /^warning: --momentum has no effect with --optimizer adam$/m],
    [
      ['--gamma', '0.5'],
      /^warning: --gamma has no effect without --schedule step or exponential \(the schedule is constant\)$/m,
    ],
    [
      ['--schedule', 'cosine', '--step-size', '2'],
      /^warning: --step-size has no effect without --schedule step \(the schedule is cosine\)$/m,
    ],
    [
      ['--min-lr', '0.0001'],
      /^warning: --min-lr has no effect without --schedule cosine \(the schedule is constant\)$/m,
    ],
    [['--layers', 'none', '--dropout', '0.2'], /^warning: --dropout has no effect without hidden layers$/m],
  ])('%j', async (flags, pattern) => {
    const r = await cli(
      'train',
      ...iris,
      '--layers',
      '4',
      ...flags,
      '--epochs',
      '1',
      '--out',
      join(dir, 'w'),
      '--quiet',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(pattern);
    expect(r.err.split('\n').filter((l) => l.startsWith('warning:'))).toHaveLength(1);
  });

  it('--init zeros warns once for the whole network', async () => {
    const r = await cli(
      'train',
      ...iris,
      '--layers',
      '4,4',
      '--init',
      'zeros',
      '--epochs',
      '1',
      '--out',
      join(dir, 'z'),
      '--quiet',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.err.match(/^warning: zero initialisation/gm)).toHaveLength(1);
  });
});

describe('impossible settings are configuration errors', () => {
  it('--min-lr above the learning rate', async () => {
    const r = await cli(
      'train',
      ...iris,
      '--schedule',
      'cosine',
      '--lr',
      '0.001',
      '--min-lr',
      '0.01',
      '--epochs',
      '1',
      '--out',
      join(dir, 'x'),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^error: --min-lr 0\.01 is above the learning rate 0\.001: the cosine schedule anneals from --lr down to --min-lr\n$/,
    );
  });

  it.each(['js', 'wasm'])('--layers 1e9 on %s names the size, without a stack trace', async (backend) => {
    const r = await cli(
      'train',
      ...iris,
      '--layers',
      '1e9',
      '--backend',
      backend,
      '--epochs',
      '1',
      '--out',
      join(dir, 'big'),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^error: --layers 1000000000: a layer of 1000000000 units after 4 inputs needs 4\.000e\+9 weights, more than one buffer can hold \(a network of 8\.000e\+9 parameters \(32\.0 GB of float32 weights\)\)\n$/,
    );
  });

  it('--layers whose total exceeds the wasm memory', async () => {
    const r = await cli(
      'train',
      ...iris,
      '--layers',
      '40000000',
      '--backend',
      'wasm',
      '--epochs',
      '1',
      '--out',
      join(dir, 'big'),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^error: --layers 40000000: a network of 3\.200e\+8 parameters \(1\.3 GB of float32 weights\) needs 5\.1 GB to train, more than the wasm backend's 2 GiB memory\n$/,
    );
  });

  it('--resume with training flags, and --resume of a directory without a checkpoint', async () => {
    const r = await cli('train', '--resume', join(dir, 'arch1'), '--lr', '0.1', '--epochs', '3');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^error: --resume continues the run as its checkpoint records it; --lr, --epochs cannot be given with it/,
    );
    const s = await cli('train', '--resume', join(dir, 'arch1'));
    expect(s.code).toBe(1);
    expect(s.err).toMatch(/^error: --resume: '.*arch1' holds no checkpoint \(no checkpoint\/checkpoint\.json\)/);
  });
});
