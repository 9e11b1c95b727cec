// The exported model.py in PyTorch predicts what backprop predicts: every activation, task and scaler,
// and `python3 model.py --data` writes backprop predict's CSV. Skips without python3 + torch.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  Activation,
  type ActivationName,
  Dense,
  Dropout,
  loadModel,
  MinMaxScaler,
  Rng,
  Sequential,
  StandardScaler,
  TASKS,
  type Task,
  Tensor,
  writePytorchExport,
} from '../../src/node.js';
import { cli, DATA } from '../cli/helpers.js';
import { NO_TORCH, run, torchPython } from './pytorch-helpers.js';

const PREDICT_PY = join(import.meta.dirname, 'pytorch-predict.py');

function inputs(rows: number, features: number, seed: number): Tensor {
  const rng = new Rng(seed);
  return new Tensor(
    Float32Array.from({ length: rows * features }, () => 2 * rng.normal() + 1),
    [rows, features],
  );
}

interface Case {
  name: string;
  model: Sequential;
  x: Tensor;
}

/** One model per hidden activation × task, with no scaler, a standard scaler or a min-max scaler in turn. */
function cases(): Case[] {
  const out: Case[] = [];
  let k = 0;
  for (const activation of ACTIVATIONS as readonly ActivationName[]) {
    for (const task of TASKS as readonly Task[]) {
      const model = Sequential.mlp({
        inputs: 4,
        hidden: [5, 4],
        outputs: task === 'regression' ? 2 : 3,
        task,
        activation,
        seed: 10 + k,
      });
      const x = inputs(16, 4, 100 + k);
      if (k % 3 === 1) model.scaler = StandardScaler.fit(inputs(30, 4, 200 + k));
      if (k % 3 === 2) model.scaler = MinMaxScaler.fit(inputs(30, 4, 200 + k));
      out.push({ name: `${activation} hidden, ${task}, ${model.scaler?.type ?? 'no'} scaler`, model, x });
      k++;
    }
  }
  // Layers as their own modules: a leaky ReLU with its own slope, dropout (the identity when predicting).
  const rng = new Rng(7);
  const model = new Sequential([
    new Dense(4, 6, { activation: 'leaky_relu', slope: 0.3, rng }),
    new Dropout(0.5),
    new Dense(6, 5, { rng }),
    new Activation('leaky_relu', { slope: 0.2 }),
    new Dense(5, 3, { activation: 'softmax', rng }),
  ]);
  model.task = 'classification';
  out.push({ name: 'leaky_relu slopes 0.3 and 0.2, dropout, classification', model, x: inputs(16, 4, 300) });
  return out;
}

describe('model.py in PyTorch', () => {
  it('predicts what backprop predicts for every activation, task and scaler', async (ctx) => {
    const py = torchPython();
    if (py === null) ctx.skip(NO_TORCH);
    const dir = mkdtempSync(join(tmpdir(), 'backprop-pt-predict-'));
    const all = cases();
    const request = { models: [] as { dir: string; x: number[][] }[] };
    for (const [i, c] of all.entries()) {
      const folder = join(dir, `m${i}`);
      await writePytorchExport(c.model, folder);
      request.models.push({ dir: folder, x: c.x.to2D() });
    }
    writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
    const r = await run(py!, [PREDICT_PY, join(dir, 'request.json')]);
    expect(r.code, r.stderr).toBe(0);
    const outputs = (JSON.parse(r.stdout) as { outputs: number[][][] }).outputs;
    expect(outputs).toHaveLength(all.length);
    let worst = { rel: 0, abs: 0, name: '' };
    for (const [i, c] of all.entries()) {
      const expected = c.model.predict(c.x).to2D();
      expect(outputs[i]!.length, c.name).toBe(expected.length);
      expected.forEach((row, r) =>
        row.forEach((b, j) => {
          const a = outputs[i]![r]![j]!;
          const abs = Math.abs(a - b);
          const rel = abs / Math.max(Math.abs(b), 1e-3);
          if (rel > worst.rel) worst = { rel, abs, name: c.name };
          expect(abs, `${c.name}: row ${r}, output ${j}: PyTorch ${a}, backprop ${b}`).toBeLessThanOrEqual(
            1e-5 * Math.max(Math.abs(b), 1e-1),
          );
        }),
      );
    }
    console.log(
      `PyTorch vs backprop predictions, ${all.length} models: largest relative difference ${worst.rel.toExponential(2)} (absolute ${worst.abs.toExponential(2)}, ${worst.name})`,
    );
  }, 300_000);

  it('python3 model.py --data writes the CSV backprop predict writes', async (ctx) => {
    const py = torchPython();
    if (py === null) ctx.skip(NO_TORCH);
    const dir = mkdtempSync(join(tmpdir(), 'backprop-pt-cli-'));
    const iris = join(DATA, 'iris.csv');
    const trained = await cli(
      'train',
      '--data',
      iris,
      '--layers',
      '8',
      '--standardize',
      '--epochs',
      '5',
      '--seed',
      '2',
      '--out',
      join(dir, 'model'),
      '--quiet',
    );
    expect(trained.code, trained.err).toBe(0);
    await writePytorchExport(await loadModel(join(dir, 'model')), join(dir, 'export'));
    const theirs = await run(py!, [join(dir, 'export', 'model.py'), '--data', iris, '--out', join(dir, 'torch.csv')]);
    expect(theirs.code, theirs.stderr).toBe(0);
    const ours = await cli(
      'predict',
      '--model',
      join(dir, 'model'),
      '--data',
      iris,
      '--out',
      join(dir, 'backprop.csv'),
    );
    expect(ours.code, ours.err).toBe(0);
    const torchRows = readFileSync(join(dir, 'torch.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const ourRows = readFileSync(join(dir, 'backprop.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    expect(torchRows[0]).toEqual(['species', 'prob_setosa', 'prob_versicolor', 'prob_virginica']);
    expect(torchRows[0]).toEqual(ourRows[0]);
    expect(torchRows).toHaveLength(151);
    let largest = 0;
    for (let r = 1; r < ourRows.length; r++) {
      expect(torchRows[r]![0], `row ${r}: predicted label`).toBe(ourRows[r]![0]);
      for (let j = 1; j < 4; j++)
        largest = Math.max(largest, Math.abs(Number(torchRows[r]![j]) - Number(ourRows[r]![j])));
    }
    expect(largest).toBeLessThan(1e-6);
    console.log(
      `iris, python3 model.py vs backprop predict: largest probability difference ${largest.toExponential(2)}`,
    );

    const missing = await run(py!, [join(dir, 'export', 'model.py'), '--data', join(dir, 'nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: cannot read data file '.*nope\.csv': No such file or directory$/m);
  }, 300_000);
});
