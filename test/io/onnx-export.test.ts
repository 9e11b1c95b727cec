// toOnnx: every activation, task and scaler runs in ONNX Runtime with backprop's predictions, reads
// back identically with fromOnnx, and passes onnx.checker where Debian's python3-onnx is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Activation,
  Dense,
  Dropout,
  decodeModelProto,
  fromOnnx,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  Sequential,
  toOnnx,
} from '../../src/node.js';
import {
  expectSamePredictions,
  FEATURES,
  features,
  HIDDEN_ACTIVATIONS,
  runOnnx,
  SCALERS,
  TASKS_UNDER_TEST,
  testModel,
} from './onnx-helpers.js';

const x = features(200, 7);

describe('toOnnx in ONNX Runtime', () => {
  for (const task of TASKS_UNDER_TEST) {
    for (const activation of HIDDEN_ACTIVATIONS) {
      it(`${task}, hidden ${activation}, every scaler: same predictions (relative 1e-5)`, async () => {
        for (const scaler of SCALERS) {
          const model = testModel(activation, task, scaler);
          const expected = model.predict(x).data;
          const actual = await runOnnx(toOnnx(model), x);
          expectSamePredictions(actual, expected, `${scaler} scaler`);
        }
      });
    }
  }

  it('stand-alone activation layers and dropout (left out: inference is the identity)', async () => {
    const model = new Sequential([
      new Dense(FEATURES, 6, { activation: 'linear', init: 'glorot_uniform' }),
      new Activation('leaky_relu', { slope: 0.2 }),
      new Dropout(0.5),
      new Dense(6, 4, { activation: 'tanh' }),
      new Activation('sigmoid'),
      new Dense(4, 2, { activation: 'linear' }),
      new Activation('softmax'),
    ]);
    const bytes = toOnnx(model);
    const ops = decodeModelProto(bytes).graph!.node!.map((n) => n.op_type);
    expect(ops).toEqual(['Gemm', 'LeakyRelu', 'Gemm', 'Tanh', 'Sigmoid', 'Gemm', 'Softmax']);
    expectSamePredictions(await runOnnx(bytes, x), model.predict(x).data);
  });
});

describe('toOnnx graph', () => {
  it('opset 13, one dynamic-batch float input of raw features, Gemm + activation per layer, scaler as Sub/Div, metadata', () => {
    const model = testModel('leaky_relu', 'classification', 'standard');
    const proto = decodeModelProto(toOnnx(model));
    expect(proto.ir_version).toBe(ONNX_IR_VERSION);
    expect(proto.opset_import).toEqual([{ domain: '', version: ONNX_OPSET }]);
    expect(ONNX_OPSET).toBeGreaterThanOrEqual(13);
    expect(proto.producer_name).toBe('backprop');
    const g = proto.graph!;
    expect(g.input!.map((v) => v.name)).toEqual(['input']);
    expect(g.input![0]!.type!.tensor_type!.elem_type).toBe(1);
    expect(g.input![0]!.type!.tensor_type!.shape!.dim).toEqual([{ dim_param: 'batch' }, { dim_value: FEATURES }]);
    expect(g.output![0]!.name).toBe('output');
    expect(g.output![0]!.type!.tensor_type!.shape!.dim).toEqual([{ dim_param: 'batch' }, { dim_value: 3 }]);
    expect(g.node!.map((n) => n.op_type)).toEqual([
      'Sub',
      'Div',
      'Gemm',
      'LeakyRelu',
      'Gemm',
      'LeakyRelu',
      'Gemm',
      'Softmax',
    ]);
    expect(g.node![3]!.attribute![0]).toMatchObject({ name: 'alpha' });
    expect(g.node![3]!.attribute![0]!.f).toBeCloseTo(0.01, 7);
    expect(g.node![7]!.attribute).toMatchObject([{ name: 'axis', type: 2, i: 1 }]);
    expect(g.node!.at(-1)!.output).toEqual(['output']);
    const meta = Object.fromEntries(proto.metadata_props!.map((p) => [p.key, p.value]));
    expect(JSON.parse(meta.labels!)).toEqual(['cat', 'dog', 7]);
    expect(JSON.parse(meta.feature_names!)).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
    expect(JSON.parse(meta.target_names!)).toEqual(['animal']);
    expect(meta.task).toBe('classification');
  });

  it('a min-max scaler is Sub then Mul by 1/range (a constant column maps to 0, as in backprop)', () => {
    const g = decodeModelProto(toOnnx(testModel('relu', 'regression', 'minmax'))).graph!;
    expect(g.node!.slice(0, 2).map((n) => n.op_type)).toEqual(['Sub', 'Mul']);
    const inv = g.initializer!.find((t) => t.name === 'scaler.inv_range')!;
    const values = new Float32Array(Uint8Array.from(inv.raw_data!).buffer);
    expect(values[4]).toBe(0);
  });
});

describe('fromOnnx(toOnnx(model))', () => {
  for (const task of TASKS_UNDER_TEST) {
    it(`${task}: identical predictions, labels, names, task, loss and scaler`, () => {
      for (const scaler of SCALERS) {
        for (const activation of HIDDEN_ACTIVATIONS) {
          const model = testModel(activation, task, scaler);
          const back = fromOnnx(toOnnx(model));
          expect(back.predict(x).data, `${activation}, ${scaler}`).toEqual(model.predict(x).data);
          expect(back.task).toBe(task);
          expect(back.loss).toBe(model.loss);
          expect(back.labels).toEqual(model.labels);
          expect(back.featureNames).toEqual(model.featureNames);
          expect(back.targetNames).toEqual(model.targetNames);
          expect(back.scaler?.toJSON() ?? null).toEqual(model.scaler?.toJSON() ?? null);
          const withoutInit = (m: Sequential): unknown[] =>
            m.network.config().map((l) => (l.type === 'dense' ? { ...l, init: undefined } : l));
          expect(withoutInit(back)).toEqual(withoutInit(model));
        }
      }
    });
  }
});

describe('onnx.checker (Debian python3-onnx)', () => {
  it('check_model(full_check=True) passes on every exported variant', (ctx) => {
    const python = '/usr/bin/python3';
    if (!existsSync(python) || spawnSync(python, ['-c', 'import onnx'], { encoding: 'utf8' }).status !== 0)
      ctx.skip('python3-onnx is not installed');
    const dir = mkdtempSync(join(tmpdir(), 'backprop-onnx-check-'));
    const files: string[] = [];
    for (const task of TASKS_UNDER_TEST) {
      for (const activation of HIDDEN_ACTIVATIONS) {
        for (const scaler of SCALERS) {
          const file = join(dir, `${task}-${activation}-${scaler}.onnx`);
          writeFileSync(file, toOnnx(testModel(activation, task, scaler)));
          files.push(file);
        }
      }
    }
    const script =
      'import sys, onnx\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\nprint(len(sys.argv) - 1, "checked")';
    const r = spawnSync(python, ['-c', script, ...files], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`${files.length} checked`);
  });
});
