// fromOnnx on graphs backprop did not write: PyTorch's torch.onnx.export (fixtures from
// scripts/fixtures/make_onnx_fixtures.py), MatMul + Add, input arithmetic folded into the first
// layer; and refusals that name the first node that is not part of an MLP.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeModelProto,
  encodeModelProto,
  FormatError,
  fromOnnx,
  type ModelProto,
  type NodeProto,
  Tensor,
  toOnnx,
} from '../../src/node.js';
import { flat } from '../helpers/allclose.js';
import { expectSamePredictions, features, runOnnx, testModel } from './onnx-helpers.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'onnx');
interface TorchCase {
  file: string;
  opset: number;
  task: string;
  input_shape: number[];
  x: unknown;
  y: number[][];
}
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as { cases: TorchCase[] };

describe('fromOnnx on torch.onnx.export models', () => {
  for (const c of expected.cases) {
    it(`${c.file} (opset ${c.opset}): PyTorch's outputs, relative 1e-5`, async () => {
      const bytes = new Uint8Array(readFileSync(join(FIXTURES, c.file)));
      const model = fromOnnx(bytes, { source: c.file });
      const m = c.input_shape[0]!;
      const x = new Tensor(Float32Array.from(flat(c.x)), c.input_shape);
      const y = flat(c.y);
      expect(model.task).toBe(c.task);
      expectSamePredictions(model.predict(x.reshape([m, x.size / m])).data, y, `${c.file} backprop`);
      // The fixture itself, in ONNX Runtime, gives PyTorch's numbers too.
      expectSamePredictions(await runOnnx(bytes, x), y, `${c.file} onnxruntime`);
    });
  }

  it('Sub/Div at the input becomes a standard scaler; BatchNormalization with a negative scale is folded into the first layer', () => {
    const regression = fromOnnx(new Uint8Array(readFileSync(join(FIXTURES, 'torch_regression.onnx'))));
    expect(regression.scaler?.toJSON()).toEqual({ type: 'standard', mean: [5, -1, 100], scale: [2, 0.5, 30] });
    expect(regression.network.config().map((l) => (l.type === 'dense' ? l.activation : l.type))).toEqual([
      'sigmoid',
      'linear',
    ]);
    const multilabel = fromOnnx(new Uint8Array(readFileSync(join(FIXTURES, 'torch_multilabel.onnx'))));
    expect(multilabel.scaler).toBeNull();
    expect(multilabel.network.config()[0]).toMatchObject({ type: 'dense', activation: 'leaky_relu', slope: 0.01 });
    const classifier = fromOnnx(new Uint8Array(readFileSync(join(FIXTURES, 'torch_classifier.onnx'))));
    expect(classifier.network.inputFeatures).toBe(6);
  });
});

/** Our export with every Gemm rewritten as MatMul (weight transposed to [in, out]) + Add. */
function asMatMulAdd(proto: ModelProto): ModelProto {
  const g = proto.graph!;
  const nodes: NodeProto[] = [];
  for (const n of g.node!) {
    if (n.op_type !== 'Gemm') {
      nodes.push(n);
      continue;
    }
    const [a, w, b] = n.input!;
    const t = g.initializer!.find((i) => i.name === w)!;
    const [out, inF] = t.dims! as [number, number];
    const src = new Float32Array(Uint8Array.from(t.raw_data!).buffer);
    const dst = new Float32Array(out * inF);
    for (let o = 0; o < out; o++) for (let i = 0; i < inF; i++) dst[i * out + o] = src[o * inF + i]!;
    t.dims = [inF, out];
    t.raw_data = new Uint8Array(dst.buffer);
    nodes.push({ name: `${n.name}.matmul`, op_type: 'MatMul', input: [a!, w!], output: [`${n.output![0]}.xw`] });
    nodes.push({ name: `${n.name}.add`, op_type: 'Add', input: [b!, `${n.output![0]}.xw`], output: n.output! });
  }
  return { ...proto, graph: { ...g, node: nodes } };
}

describe('fromOnnx on other MLP graphs', () => {
  const x = features(20, 3);

  it('MatMul + Add chains (bias as either operand) import like Gemm', async () => {
    const model = testModel('tanh', 'multilabel', 'standard');
    const bytes = encodeModelProto(asMatMulAdd(decodeModelProto(toOnnx(model))));
    expect(decodeModelProto(bytes).graph!.node!.filter((n) => n.op_type === 'Gemm')).toHaveLength(0);
    const back = fromOnnx(bytes);
    expect(back.predict(x).data).toEqual(model.predict(x).data);
    expectSamePredictions(await runOnnx(bytes, x), back.predict(x).data);
  });

  it('input arithmetic that no scaler expresses (Mul by a negative, then Add) is folded into the first layer', async () => {
    const proto = decodeModelProto(toOnnx(testModel('relu', 'regression', 'none')));
    const g = proto.graph!;
    const scalar = (name: string, v: number[]): void =>
      void g.initializer!.push({ name, dims: [v.length], data_type: 1, float_data: v });
    scalar('k', [-0.5, 2, 1, -1, 3]);
    scalar('c', [1]);
    g.node!.unshift(
      { name: 'neg', op_type: 'Mul', input: ['input', 'k'], output: ['scaled'] },
      { name: 'shift', op_type: 'Add', input: ['scaled', 'c'], output: ['shifted'] },
    );
    g.node![2]!.input![0] = 'shifted';
    const bytes = encodeModelProto(proto);
    const model = fromOnnx(bytes);
    expect(model.scaler).toBeNull();
    expectSamePredictions(model.predict(x).data, await runOnnx(bytes, x));
  });

  it('metadata-free graphs get their task from the output activation', () => {
    const proto = decodeModelProto(toOnnx(testModel('relu', 'classification', 'none')));
    proto.metadata_props = [];
    const model = fromOnnx(encodeModelProto(proto));
    expect(model.task).toBe('classification');
    expect(model.labels).toBeNull();
    expect(fromOnnx(encodeModelProto(proto), { task: 'multilabel' }).task).toBe('multilabel');
  });
});

describe('fromOnnx refusals', () => {
  const base = (): ModelProto => decodeModelProto(toOnnx(testModel('relu', 'classification', 'standard')));

  it('names the first node that is not an MLP operator', () => {
    const proto = base();
    proto.graph!.node![3]!.op_type = 'Conv';
    expect(() => fromOnnx(encodeModelProto(proto), { source: 'conv.onnx' })).toThrow(FormatError);
    expect(() => fromOnnx(encodeModelProto(proto), { source: 'conv.onnx' })).toThrow(
      /^conv\.onnx: node 'layers\.0\.a' \(Conv\) is not supported: not an MLP operator\. backprop imports MLPs/,
    );
  });

  it('refuses a branch (a node taking two computed values)', () => {
    const proto = base();
    const g = proto.graph!;
    g.node!.splice(4, 0, {
      name: 'skip',
      op_type: 'Add',
      input: ['layers.0.a', 'scaler.output'],
      output: ['skip.out'],
    });
    g.node![5]!.input![0] = 'skip.out';
    expect(() => fromOnnx(encodeModelProto(proto))).toThrow(
      /node 'skip' \(Add\) is not supported: it does not take exactly the previous value 'layers\.0\.a' plus constants \(inputs layers\.0\.a, scaler\.output\)/,
    );
  });

  it('refuses elementwise arithmetic between dense layers, a softmax over the batch, and bytes that are not ONNX', () => {
    const between = base();
    between.graph!.initializer!.push({ name: 'two', dims: [1], data_type: 1, float_data: [2] });
    between.graph!.node!.splice(4, 0, {
      name: 'double',
      op_type: 'Mul',
      input: ['layers.0.a', 'two'],
      output: ['doubled'],
    });
    between.graph!.node![5]!.input![0] = 'doubled';
    expect(() => fromOnnx(encodeModelProto(between))).toThrow(
      /node 'double' \(Mul\) is not supported: elementwise arithmetic after a dense layer/,
    );
    const axis0 = base();
    axis0.graph!.node!.at(-1)!.attribute![0]!.i = 0;
    expect(() => fromOnnx(encodeModelProto(axis0))).toThrow(/node 'layers\.2\.a' \(Softmax\) is not supported: axis 0/);
    expect(() => fromOnnx(new Uint8Array([0xff, 0xff, 0xff]), { source: 'junk.onnx' })).toThrow(
      /^junk\.onnx: not an ONNX model/,
    );
  });

  it('refuses graphs with two inputs or a non-float input', () => {
    const two = base();
    two.graph!.input!.push({
      name: 'extra',
      type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_value: 1 }, { dim_value: 1 }] } } },
    });
    expect(() => fromOnnx(encodeModelProto(two))).toThrow(/the graph has 2 inputs \(input, extra\); an MLP has one/);
    const ints = base();
    ints.graph!.input![0]!.type!.tensor_type!.elem_type = 7;
    expect(() => fromOnnx(encodeModelProto(ints))).toThrow(/input 'input' is not a float32 tensor \(element type 7\)/);
  });
});
