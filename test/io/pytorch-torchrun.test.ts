// The exported train.py under torchrun (2 CPU ranks, gloo) takes the same steps as
// `backprop train --init-from`: weights within 1e-4 relative after 3 epochs, and backprop reads the
// directory it writes. Skips without python3 + torch.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readModelCsv } from '../../src/cli/csv-data.js';
import { loadModel, type ModelJson, type OptimizerSpec, saveModel, writePytorchExport } from '../../src/node.js';
import { cli, cliJson, DATA } from '../cli/helpers.js';
import { NO_TORCH, run, torchPython, torchrun } from './pytorch-helpers.js';

const IRIS = join(DATA, 'iris.csv');
let dir = '';
let regressionCsv = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'backprop-torchrun-'));
  // Iris without the species: petal width from the other three measurements (150 rows, an even count).
  const lines = readFileSync(IRIS, 'utf8').trim().split('\n');
  regressionCsv = join(dir, 'iris-regression.csv');
  writeFileSync(regressionCsv, lines.map((l) => l.split(',').slice(0, 4).join(',')).join('\n') + '\n');
});

/** Largest |a − b| / max |b| over the tensors of two model directories (b the reference). */
async function weightDifference(actualDir: string, expectedDir: string): Promise<number> {
  const actual = await loadModel(actualDir),
    expected = await loadModel(expectedDir);
  let worst = 0;
  for (const [i, p] of expected.parameters().entries()) {
    const q = actual.parameters()[i]!;
    expect(q.name).toBe(p.name);
    let diff = 0,
      scale = 0;
    for (let k = 0; k < p.value.size; k++) {
      diff = Math.max(diff, Math.abs(q.value.data[k]! - p.value.data[k]!));
      scale = Math.max(scale, Math.abs(p.value.data[k]!));
    }
    worst = Math.max(worst, diff / scale);
  }
  return worst;
}

/** Trains a starting model with backprop and exports it; returns the model and export folders. */
async function startingPoint(name: string, trainArgs: string[]): Promise<{ model: string; exported: string }> {
  const model = join(dir, `${name}-start`),
    exported = join(dir, `${name}-pytorch`);
  const r = await cli(
    'train',
    ...trainArgs,
    '--standardize',
    '--epochs',
    '5',
    '--seed',
    '1',
    '--out',
    model,
    '--quiet',
  );
  expect(r.code, r.err).toBe(0);
  await writePytorchExport(await loadModel(model), exported);
  return { model, exported };
}

/**
 * backprop's own continuation with mini-batches in file order: `backprop train --no-shuffle` keeps the
 * order of its seeded train split instead, so it is the library's fit that takes train.py's batches.
 */
async function fitInFileOrder(
  startDir: string,
  data: string,
  optimizer: OptimizerSpec,
  options: { epochs: number; batchSize: number },
): Promise<string> {
  const model = await loadModel(startDir);
  const csv = readModelCsv(data, model, true);
  model.compile({ loss: model.loss, optimizer });
  model.fit(csv.x, csv.y!, { ...options, shuffle: false });
  const out = join(dir, `fit-${path.basename(startDir)}`);
  await saveModel(model, out);
  return out;
}

interface Continued {
  torch: string;
  backprop: string;
  difference: number;
}

/** The same continuation twice: train.py on 2 ranks, and backprop train --init-from. */
async function continueBoth(
  py: string,
  name: string,
  start: { model: string; exported: string },
  data: string,
  torchArgs: string[],
  backpropArgs: string[],
): Promise<Continued> {
  const torchOut = join(dir, `${name}-torch`),
    backpropOut = join(dir, `${name}-backprop`);
  const t = await torchrun(py, 2, join(start.exported, 'train.py'), ['--data', data, ...torchArgs, '--out', torchOut]);
  expect(t.code, t.stderr + t.stdout).toBe(0);
  expect(t.stdout).toMatch(
    new RegExp(
      `model saved to ${torchOut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(2 ranks, gloo, cpu, 3 epochs, final loss `,
    ),
  );
  const b = await cli(
    'train',
    '--data',
    data,
    '--init-from',
    start.model,
    ...backpropArgs,
    '--out',
    backpropOut,
    '--quiet',
  );
  expect(b.code, b.err).toBe(0);
  return { torch: torchOut, backprop: backpropOut, difference: await weightDifference(torchOut, backpropOut) };
}

function modelJson(folder: string): ModelJson & { training: { history: { loss: number }[]; metrics?: unknown } } {
  return JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
}

describe('train.py under torchrun --nproc_per_node 2 (gloo)', () => {
  it("classifier, Adam: 3 full-batch steps give backprop's weights, and backprop evaluates the result", async (ctx) => {
    const py = torchPython();
    if (py === null) ctx.skip(NO_TORCH);
    const start = await startingPoint('classifier', [
      '--data',
      IRIS,
      '--layers',
      '8',
      '--optimizer',
      'sgd',
      '--lr',
      '0.05',
    ]);
    const same = ['--epochs', '3', '--batch-size', 'all', '--no-shuffle', '--optimizer', 'adam', '--lr', '0.01'];
    const r = await continueBoth(py!, 'classifier', start, IRIS, same, same);
    console.log(
      `torchrun (2 ranks) vs backprop train --init-from, classifier, Adam, 3 full-batch steps: largest weight difference ${r.difference.toExponential(2)} of the tensor's largest weight`,
    );
    expect(r.difference).toBeLessThan(1e-4);

    const written = modelJson(r.torch),
      started = modelJson(start.model),
      reference = modelJson(r.backprop);
    for (const key of ['architecture', 'task', 'labels', 'scaler', 'featureNames', 'targetNames', 'metrics'] as const)
      expect(written[key], key).toEqual(started[key]);
    expect(written.loss).toBe('categorical_crossentropy');
    expect(written.training).toMatchObject({
      optimizer: 'adam',
      lr: 0.01,
      batchSize: 'all',
      epochs: 3,
      shuffle: false,
      data: IRIS,
      layers: [8],
      trainer: { program: 'train.py', ranks: 2, processGroup: 'gloo', device: 'cpu' },
      stopReason: null,
    });
    expect(written.training.metrics).toBeUndefined(); // the starting model's metrics do not describe the new weights
    const losses = written.training.history.map((h) => h.loss);
    const expectedLosses = reference.training.history.map((h) => h.loss);
    expect(losses).toHaveLength(3);
    losses.forEach((l, i) => expect(Math.abs(l - expectedLosses[i]!)).toBeLessThan(1e-5 * expectedLosses[i]!));

    const evalTorch = await cliJson('eval', '--model', r.torch, '--data', IRIS);
    const evalBackprop = await cliJson('eval', '--model', r.backprop, '--data', IRIS);
    expect(evalTorch.code, evalTorch.err).toBe(0);
    expect(evalTorch.json.examples).toBe(150);
    expect(Math.abs((evalTorch.json.loss as number) - (evalBackprop.json.loss as number))).toBeLessThan(1e-4);
    expect(evalTorch.json.accuracy).toBe(evalBackprop.json.accuracy);
    const predicted = await cli('predict', '--model', r.torch, '--data', IRIS);
    expect(predicted.code, predicted.err).toBe(0);
    expect(predicted.out.split('\n')[0]).toBe('species,prob_setosa,prob_versicolor,prob_virginica');
  }, 400_000);

  it("regressor, SGD with Nesterov momentum (the model's own optimiser by default): 3 full-batch steps give backprop's weights", async (ctx) => {
    const py = torchPython();
    if (py === null) ctx.skip(NO_TORCH);
    const optimizer = ['--optimizer', 'nesterov', '--lr', '0.01', '--momentum', '0.9'];
    const start = await startingPoint('regressor', [
      '--data',
      regressionCsv,
      '--task',
      'regression',
      '--layers',
      '6',
      '--activation',
      'tanh',
      ...optimizer,
    ]);
    const steps = ['--epochs', '3', '--batch-size', 'all', '--no-shuffle'];
    const r = await continueBoth(py!, 'regressor', start, regressionCsv, steps, [
      ...steps,
      '--task',
      'regression',
      ...optimizer,
    ]);
    console.log(
      `torchrun (2 ranks) vs backprop train --init-from, regressor, Nesterov SGD, 3 full-batch steps: largest weight difference ${r.difference.toExponential(2)} of the tensor's largest weight`,
    );
    expect(r.difference).toBeLessThan(1e-4);
    expect(modelJson(r.torch).training).toMatchObject({
      optimizer: 'nesterov',
      lr: 0.01,
      momentum: 0.9,
      task: 'regression',
      loss: 'mse',
    });
    const evaluated = await cliJson('eval', '--model', r.torch, '--data', regressionCsv);
    expect(evaluated.code, evaluated.err).toBe(0);
    expect(Object.keys(evaluated.json).sort()).toEqual(['backend', 'examples', 'loss', 'mae', 'mse', 'r2']);
  }, 400_000);

  it("mini-batches split unevenly between the ranks (batch 25), the notes' momentum: backprop's steps on the rows in file order", async (ctx) => {
    const py = torchPython();
    if (py === null) ctx.skip(NO_TORCH);
    const start = await startingPoint('minibatch', [
      '--data',
      IRIS,
      '--layers',
      '8',
      '--activation',
      'sigmoid',
      '--optimizer',
      'adam',
      '--lr',
      '0.01',
    ]);
    const torchOut = join(dir, 'minibatch-torch');
    const args = [
      '--data',
      IRIS,
      '--epochs',
      '3',
      '--batch-size',
      '25',
      '--no-shuffle',
      '--optimizer',
      'momentum',
      '--lr',
      '0.1',
      '--momentum',
      '0.8',
      '--out',
      torchOut,
    ];
    const t = await torchrun(py!, 2, join(start.exported, 'train.py'), args);
    expect(t.code, t.stderr + t.stdout).toBe(0);
    const expected = await fitInFileOrder(
      start.model,
      IRIS,
      { name: 'momentum', lr: 0.1, momentum: 0.8 },
      { epochs: 3, batchSize: 25 },
    );
    const difference = await weightDifference(torchOut, expected);
    console.log(
      `torchrun (2 ranks) vs backprop's fit, classifier, notes' momentum, 18 steps of 25 rows: largest weight difference ${difference.toExponential(2)}`,
    );
    expect(difference).toBeLessThan(1e-4);
  }, 400_000);
});

describe('train.py in one process (no torchrun)', () => {
  it("RMSProp with weight decay, an L1 penalty and gradient clipping on mini-batches: backprop's steps on the rows in file order", async (ctx) => {
    const py = torchPython();
    if (py === null) ctx.skip(NO_TORCH);
    const start = await startingPoint('single', ['--data', IRIS, '--layers', '8,4', '--activation', 'leaky_relu']);
    const same = [
      '--epochs',
      '2',
      '--batch-size',
      '40',
      '--no-shuffle',
      '--optimizer',
      'rmsprop',
      '--lr',
      '0.005',
      '--momentum',
      '0.5',
      '--weight-decay',
      '0.01',
      '--l1',
      '0.002',
      '--clip-norm',
      '0.5',
    ];
    const torchOut = join(dir, 'single-torch');
    const t = await run(py!, [join(start.exported, 'train.py'), '--data', IRIS, ...same, '--out', torchOut, '--quiet']);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/\(1 rank, one process, cpu, 2 epochs, final loss [0-9.]+\)/);
    const expected = await fitInFileOrder(
      start.model,
      IRIS,
      { name: 'rmsprop', lr: 0.005, momentum: 0.5, weightDecay: 0.01, l1: 0.002, clipNorm: 0.5 },
      { epochs: 2, batchSize: 40 },
    );
    const difference = await weightDifference(torchOut, expected);
    console.log(
      `python3 train.py vs backprop's fit, RMSProp + weight decay + L1 + clipping, 8 steps of 40 rows: largest weight difference ${difference.toExponential(2)}`,
    );
    expect(difference).toBeLessThan(1e-4);
  }, 400_000);

  it('names the row, column and label of a label the model does not know, and writes nothing', async (ctx) => {
    const py = torchPython();
    if (py === null) ctx.skip(NO_TORCH);
    const start = await startingPoint('labels', ['--data', IRIS, '--layers', '4']);
    const lines = readFileSync(IRIS, 'utf8').trim().split('\n');
    const bad = join(dir, 'iris-unknown-label.csv');
    writeFileSync(bad, [...lines.slice(0, 3), '5.0,3.0,1.5,0.2,daisy', ...lines.slice(3)].join('\n') + '\n');
    const out = join(dir, 'labels-torch');
    const t = await run(py!, [join(start.exported, 'train.py'), '--data', bad, '--epochs', '1', '--out', out]);
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(
      /^error: .*iris-unknown-label\.csv: row 4, column 'species': label 'daisy' is not one of the model's labels \(setosa, versicolor, virginica\)$/m,
    );
    await expect(loadModel(out)).rejects.toThrow(/does not exist/);
  }, 400_000);
});
