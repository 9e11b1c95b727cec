// `backprop export` and `backprop import` through the CLI: the exported files predict in ONNX Runtime
// and TensorFlow.js what `backprop predict` prints, imports come back with the same predictions and
// train further, and --out is vetted.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveModel, type Tensor } from '../../src/node.js';
import { flat } from '../helpers/allclose.js';
import {
  expectSamePredictions,
  FEATURES,
  features,
  HIDDEN_ACTIVATIONS,
  runOnnx,
  SCALERS,
  TASKS_UNDER_TEST,
  testModel,
} from '../io/onnx-helpers.js';
import { loadWithTfjs, predictWithTfjs } from '../io/tfjs-helpers.js';
import { cli, csvFile, scratch } from './helpers.js';

/** A CSV of the test models' feature columns f0..f4 (values printed exactly as float32). */
function featureCsv(dir: string, x: Tensor): string {
  const rows = Array.from({ length: x.shape[0]! }, (_, i) =>
    Array.from(x.data.subarray(i * FEATURES, (i + 1) * FEATURES)).join(','),
  );
  return csvFile(dir, 'features.csv', ['f0,f1,f2,f3,f4', ...rows].join('\n') + '\n');
}

/** The numeric columns of `backprop predict`'s CSV: prob_* (classification, multilabel) or all (regression). */
function predictedNumbers(csv: string): number[] {
  const [header, ...rows] = csv.trim().split('\n');
  const names = header!.split(',');
  const keep = names
    .map((n, k) => ((names.some((m) => m.startsWith('prob_')) ? n.startsWith('prob_') : true) ? k : -1))
    .filter((k) => k >= 0);
  return rows.flatMap((r) => keep.map((k) => Number(r.split(',')[k])));
}

const x = features(30, 5);

describe('backprop export, compared with backprop predict', () => {
  const cases = TASKS_UNDER_TEST.flatMap((task, t) =>
    HIDDEN_ACTIVATIONS.map((activation, a) => ({ task, activation, scaler: SCALERS[(t + a) % SCALERS.length]! })),
  );
  for (const { task, activation, scaler } of cases) {
    it(`${task}, hidden ${activation}, ${scaler} scaler: ONNX Runtime and TensorFlow.js agree with predict (relative 1e-5)`, async () => {
      const dir = scratch();
      await saveModel(testModel(activation, task, scaler), join(dir, 'model'));
      const data = featureCsv(dir, x);
      const predicted = await cli('predict', '--model', join(dir, 'model'), '--data', data, '--backend', 'js');
      expect(predicted.code, predicted.err).toBe(0);
      const expected = predictedNumbers(predicted.out);
      expect(expected).toHaveLength(30 * 3);

      const onnx = await cli(
        'export',
        '--model',
        join(dir, 'model'),
        '--format',
        'onnx',
        '--out',
        join(dir, 'model.onnx'),
      );
      expect(onnx.code, onnx.err).toBe(0);
      expect(onnx.out).toMatch(
        /^wrote .*model\.onnx: ONNX, input 'input' \[batch, 5\] raw features, output 'output' \[batch, 3\] (probabilities|values)\n$/,
      );
      expectSamePredictions(
        await runOnnx(new Uint8Array(readFileSync(join(dir, 'model.onnx'))), x),
        expected,
        'onnxruntime',
      );

      const tfjs = await cli('export', '--model', join(dir, 'model'), '--format', 'tfjs', '--out', join(dir, 'tfjs'));
      expect(tfjs.code, tfjs.err).toBe(0);
      const loaded = await loadWithTfjs(join(dir, 'tfjs'));
      expectSamePredictions(predictWithTfjs(loaded, x.data as Float32Array, [30, FEATURES]), expected, 'tfjs');
      loaded.dispose();

      // Round trips: the imported models print exactly the same predictions.
      for (const [format, from] of [
        ['onnx', 'model.onnx'],
        ['tfjs', 'tfjs'],
      ] as const) {
        const imported = await cli('import', '--format', format, join(dir, from), '--out', join(dir, `back-${format}`));
        expect(imported.code, imported.err).toBe(0);
        const again = await cli('predict', '--model', join(dir, `back-${format}`), '--data', data, '--backend', 'js');
        expect(again.out, `${format} round trip`).toBe(predicted.out);
      }
    });
  }
});

describe('backprop import', () => {
  const fixtures = join(import.meta.dirname, '..', 'fixtures', 'onnx');

  it("a torch.onnx.export model predicts PyTorch's numbers, then trains further with --init-from", async () => {
    const dir = scratch();
    const c = (
      JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as {
        cases: { file: string; x: number[][]; y: number[][] }[];
      }
    ).cases.find((k) => k.file === 'torch_regression.onnx')!;
    const r = await cli('import', '--format', 'onnx', join(fixtures, c.file), '--out', join(dir, 'torch'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /^imported .*torch_regression\.onnx \(onnx\): 3 inputs → 2 outputs, 2 dense layers, regression, scaler standard; wrote /,
    );
    const data = csvFile(dir, 'x.csv', ['a,b,c', ...c.x.map((row) => row.join(','))].join('\n') + '\n');
    const predicted = await cli('predict', '--model', join(dir, 'torch'), '--data', data, '--backend', 'js');
    expect(predicted.code, predicted.err).toBe(0);
    expectSamePredictions(predictedNumbers(predicted.out), flat(c.y));

    const train = csvFile(
      dir,
      'train.csv',
      ['a,b,c,y0,y1', ...c.x.map((row, i) => [...row, i % 2, 1 - (i % 3)].join(','))].join('\n') + '\n',
    );
    const trained = await cli(
      'train',
      '--data',
      train,
      '--target',
      'y0,y1',
      '--task',
      'regression',
      '--init-from',
      join(dir, 'torch'),
      '--epochs',
      '3',
      '--seed',
      '1',
      '--backend',
      'js',
      '--out',
      join(dir, 'tuned'),
    );
    expect(trained.code, trained.err).toBe(0);
    const summary = JSON.parse((await cli('summary', '--model', join(dir, 'tuned'), '--json')).out) as {
      layers: { activation: string }[];
      inputs: number;
      outputs: number;
    };
    expect([summary.inputs, summary.outputs, summary.layers.map((l) => l.activation)]).toEqual([
      3,
      2,
      ['sigmoid', 'linear'],
    ]);
  });

  it('refuses a graph that is not an MLP, naming the node, and a file that does not exist', async () => {
    const dir = scratch();
    const r = await cli('import', '--format', 'tfjs', join(dir, 'nothing'), '--out', join(dir, 'out'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: tfjs model '.*nothing' does not exist\n$/);
    const bytes = readFileSync(join(fixtures, 'torch_classifier.onnx'));
    // The fixture with its Relu renamed to Conv (same length, so the protobuf stays valid).
    const conv = Buffer.from(
      bytes.toString('latin1').replace('"Relu"', '"Conv"').replace('\x04Relu', '\x04Conv'),
      'latin1',
    );
    writeFileSync(join(dir, 'conv.onnx'), conv);
    const refused = await cli('import', '--format', 'onnx', join(dir, 'conv.onnx'), '--out', join(dir, 'out'));
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /^error: .*conv\.onnx: node '\/2\/Relu' \(Conv\) is not supported: not an MLP operator\./,
    );
  });
});

describe('--out safety', () => {
  it('replaces an earlier export, refuses anything else unless --overwrite, and never a directory with a file', async () => {
    const dir = scratch();
    await saveModel(testModel('relu', 'classification', 'none'), join(dir, 'model'));
    const exportTo = (format: string, out: string, ...more: string[]) =>
      cli('export', '--model', join(dir, 'model'), '--format', format, '--out', out, ...more);
    writeFileSync(join(dir, 'notes.onnx'), 'my notes');
    const refused = await exportTo('onnx', join(dir, 'notes.onnx'));
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /^error: --out .*notes\.onnx already exists and is not a onnx export written by backprop; pass --overwrite to replace it\n$/,
    );
    expect(readFileSync(join(dir, 'notes.onnx'), 'utf8')).toBe('my notes');
    expect((await exportTo('onnx', join(dir, 'notes.onnx'), '--overwrite')).code).toBe(0);
    const again = await exportTo('onnx', join(dir, 'notes.onnx'), '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toEqual({
      model: join(dir, 'model'),
      format: 'onnx',
      out: join(dir, 'notes.onnx'),
      inputs: 5,
      outputs: 3,
      task: 'classification',
    });
    expect((await exportTo('onnx', join(dir, 'model'))).err).toMatch(
      /^error: --out .*model is a directory; the onnx export writes a file\n$/,
    );

    mkdirSync(join(dir, 'photos'));
    writeFileSync(join(dir, 'photos', 'cat.jpg'), 'jpeg');
    expect((await exportTo('tfjs', join(dir, 'photos'))).err).toMatch(
      /already exists and is not a tfjs export written by backprop/,
    );
    expect((await exportTo('tfjs', join(dir, 'web'))).code).toBe(0);
    expect((await exportTo('tfjs', join(dir, 'web'))).code).toBe(0);
    const imported = await cli('import', '--format', 'tfjs', join(dir, 'web'), '--out', join(dir, 'photos'));
    expect(imported.err).toMatch(/--out .*photos already exists and is not a model directory written by backprop/);
    expect(readFileSync(join(dir, 'photos', 'cat.jpg'), 'utf8')).toBe('jpeg');
  });

  it('--format is required and limited to the known formats', async () => {
    const dir = scratch();
    const r = await cli('export', '--model', dir, '--format', 'caffe', '--out', join(dir, 'x'));
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/argument 'caffe' is invalid\. Allowed choices are onnx, tfjs/);
  });
});
