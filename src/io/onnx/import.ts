// An ONNX graph that is an MLP becomes a backprop model: Gemm (or MatMul + Add) chains with Relu,
// LeakyRelu, Sigmoid, Tanh, Softmax, optional Flatten/Reshape, and Sub/Add/Mul/Div or
// BatchNormalization at the input (becoming the scaler, or folded into the first dense layer).
import type { Backend } from '../../backend/backend.js';
import { check, FormatError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import type { ScalerConfig } from '../../data/scaler.js';
import { type Label, resolveTask, type Sequential, type Task, taskDefaults } from '../../model/sequential.js';
import { DEFAULT_LEAKY_SLOPE } from '../../nn/activations.js';
import type { LayerConfig } from '../../nn/layer.js';
import { VERSION } from '../../version.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelJson, modelFromParts, WEIGHTS_FILE } from '../model-dir.js';
import { ONNX_METADATA } from './export.js';
import { affineToInput, type InputOp } from './input-ops.js';
import {
  ATTRIBUTE_TYPE,
  type AttributeProto,
  DATA_TYPE,
  decodeModelProto,
  type NodeProto,
  type TensorProto,
} from './proto.js';

/** How fromOnnx / loadOnnx build the model. */
export interface OnnxImportOptions {
  /** Names the file in error messages. */
  source?: string;
  /** Where the model's layers run (default: the reference backend). */
  backend?: Backend;
  /** The task, when the file's metadata does not say (default: from the output activation). */
  task?: Task;
}

const SUPPORTED =
  'backprop imports MLPs: Gemm or MatMul+Add with Relu, LeakyRelu, Sigmoid, Tanh, Softmax (axis 1), Identity, Dropout, Flatten, and Sub/Add/Mul/Div or BatchNormalization before the first dense layer';

interface Constant {
  dims: number[];
  data: Float64Array;
}

interface DenseBuild {
  weight: Float64Array; // [out, in] row-major
  bias: Float64Array;
  inFeatures: number;
  outFeatures: number;
}

/**
 * Reads ONNX protobuf bytes into a Sequential model. Anything that is not an MLP is refused with a
 * FormatError naming the first node that does not fit.
 *
 * @example
 * const model = fromOnnx(new Uint8Array(await fs.readFile('model.onnx')), { source: 'model.onnx' });
 */
export function fromOnnx(bytes: Uint8Array, options: OnnxImportOptions = {}): Sequential {
  const src = options.source ?? 'ONNX model';
  const proto = decodeModelProto(bytes, src);
  const graph = proto.graph;
  check(
    graph !== undefined && (graph.node?.length ?? 0) > 0,
    FormatError,
    () => `${src}: the model has no graph (or an empty one)`,
  );
  const opset = (proto.opset_import ?? []).find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx')?.version ?? 1;

  const constants = new Map<string, Constant>();
  for (const t of graph.initializer ?? []) constants.set(t.name ?? '', tensorValues(t, src));
  const inputs = (graph.input ?? []).filter((v) => !constants.has(v.name ?? ''));
  check(
    inputs.length === 1,
    FormatError,
    () => `${src}: the graph has ${inputs.length} inputs (${inputs.map((v) => v.name).join(', ')}); an MLP has one`,
  );
  const input = inputs[0]!;
  const inputType = input.type?.tensor_type;
  check(
    inputType !== undefined && inputType.elem_type === DATA_TYPE.FLOAT,
    FormatError,
    () => `${src}: input '${input.name}' is not a float32 tensor (element type ${inputType?.elem_type ?? 'none'})`,
  );
  const inputDims = inputType.shape?.dim ?? [];
  check(
    inputDims.length === 0 || inputDims.length >= 2,
    FormatError,
    () => `${src}: input '${input.name}' has rank ${inputDims.length}; an MLP takes [batch, features]`,
  );
  const staticDims = inputDims.slice(1).map((d) => d.dim_value);
  let width: number | null =
    inputDims.length >= 2 && staticDims.every((d) => typeof d === 'number' && d > 0)
      ? staticDims.reduce<number>((a, d) => a * d!, 1)
      : null;
  // An input without a declared shape is taken as [batch, features].
  let flat = inputDims.length <= 2;

  let current = input.name ?? '';
  const inputOps: InputOp[] = [];
  const dense: DenseBuild[] = [];
  const layers: LayerConfig[] = [];
  let pendingMatMul: DenseBuild | null = null; // a MatMul waiting for its Add
  let denseOpen = false; // the last dense layer has not received its activation yet

  const closeMatMul = (): void => {
    if (pendingMatMul) pushDense(pendingMatMul);
    pendingMatMul = null;
  };
  const pushDense = (d: DenseBuild): void => {
    dense.push(d);
    layers.push({ type: 'dense', inFeatures: d.inFeatures, outFeatures: d.outFeatures, activation: 'linear' });
    denseOpen = true;
    width = d.outFeatures;
  };

  for (const [index, node] of (graph.node ?? []).entries()) {
    const op = node.op_type ?? '';
    const label = `node '${node.name || `#${index}`}' (${op})`;
    const refuse = (why: string): never => {
      throw new FormatError(`${src}: ${label} is not supported: ${why}. ${SUPPORTED}`);
    };
    if ((node.domain ?? '') !== '' && node.domain !== 'ai.onnx') refuse(`operator domain '${node.domain}'`);
    if (op === 'Constant') {
      constants.set(node.output?.[0] ?? '', constantNodeValue(node, src, label));
      continue;
    }
    const ins = (node.input ?? []).filter((n) => n !== '');
    const dynamic = ins.filter((n) => !constants.has(n));
    if (dynamic.length !== 1 || dynamic[0] !== current)
      refuse(
        `it does not take exactly the previous value '${current}' plus constants (inputs ${ins.join(', ')}), so the graph is not a chain of layers`,
      );
    const constArg = (k: number): Constant => {
      const c = constants.get(ins[k] ?? '');
      return c ?? refuse(`input ${k} must be a constant`);
    };
    const before = dense.length === 0 && pendingMatMul === null;

    switch (op) {
      case 'Identity':
      case 'Dropout':
        break;
      case 'Flatten': {
        const axis = intAttribute(node, 'axis', 1);
        if (axis !== 1) refuse(`axis ${axis} (only 1, [batch, features])`);
        flat = true;
        break;
      }
      case 'Reshape': {
        const shape = [...constArg(1).data];
        const ok = shape.length === 2 && (shape[0] === 0 || shape[0] === -1) && (shape[1] === -1 || shape[1] === width);
        if (!ok) refuse(`target shape [${shape.join(', ')}] (only [batch, features])`);
        flat = true;
        break;
      }
      case 'Sub':
      case 'Add':
      case 'Mul':
      case 'Div': {
        if (pendingMatMul && op === 'Add') {
          const b = constArg(ins[0] === current ? 1 : 0);
          pendingMatMul.bias = perUnit(b, pendingMatMul.outFeatures, () =>
            refuse(`bias of shape [${b.dims.join(', ')}] for ${pendingMatMul!.outFeatures} units`),
          );
          closeMatMul();
          break;
        }
        if (!before) refuse('elementwise arithmetic after a dense layer');
        if ((op === 'Sub' || op === 'Div') && ins[0] !== current)
          refuse(`the constant is the first operand (constant ${op === 'Sub' ? '−' : '/'} x)`);
        inputOps.push({ kind: op, values: constArg(ins[0] === current ? 1 : 0).data, node: label });
        break;
      }
      case 'BatchNormalization': {
        if (!before) refuse('batch normalisation after a dense layer');
        if (intAttribute(node, 'training_mode', 0) !== 0) refuse('training_mode 1');
        if ((node.output ?? []).filter((o) => o !== '').length > 1)
          refuse('training outputs (running mean and variance)');
        inputOps.push({
          kind: 'BatchNormalization',
          scale: constArg(1).data,
          bias: constArg(2).data,
          mean: constArg(3).data,
          variance: constArg(4).data,
          epsilon: floatAttribute(node, 'epsilon', 1e-5),
          node: label,
        });
        break;
      }
      case 'Gemm': {
        closeMatMul();
        if (ins[0] !== current) refuse('the layer input is not operand A');
        if (intAttribute(node, 'transA', 0) !== 0) refuse('transA 1');
        const alpha = floatAttribute(node, 'alpha', 1),
          beta = floatAttribute(node, 'beta', 1);
        const b = constArg(1);
        if (b.dims.length !== 2) refuse(`weight of rank ${b.dims.length}`);
        const transB = intAttribute(node, 'transB', 0) === 1;
        const [outF, inF] = transB ? [b.dims[0]!, b.dims[1]!] : [b.dims[1]!, b.dims[0]!];
        if (!flat) refuse('its input is not flat [batch, features] (add a Flatten)');
        if (width !== null && width !== inF)
          refuse(`weight [${b.dims.join(', ')}] takes ${inF} features, the previous value has ${width}`);
        const weight = new Float64Array(outF * inF);
        for (let o = 0; o < outF; o++)
          for (let i = 0; i < inF; i++) weight[o * inF + i] = alpha * b.data[transB ? o * inF + i : i * outF + o]!;
        let bias = new Float64Array(outF);
        if (ins.length > 2) {
          const c = constArg(2);
          bias = perUnit(c, outF, () => refuse(`bias C of shape [${c.dims.join(', ')}] for ${outF} units`)).map(
            (v) => beta * v,
          );
        }
        pushDense({ weight, bias, inFeatures: inF, outFeatures: outF });
        break;
      }
      case 'MatMul': {
        closeMatMul();
        if (ins[0] !== current) refuse('the layer input is not the first operand');
        const b = constArg(1);
        if (b.dims.length !== 2) refuse(`weight of rank ${b.dims.length}`);
        const [inF, outF] = [b.dims[0]!, b.dims[1]!];
        if (!flat) refuse('its input is not flat [batch, features] (add a Flatten)');
        if (width !== null && width !== inF)
          refuse(`weight [${b.dims.join(', ')}] takes ${inF} features, the previous value has ${width}`);
        const weight = new Float64Array(outF * inF);
        for (let o = 0; o < outF; o++) for (let i = 0; i < inF; i++) weight[o * inF + i] = b.data[i * outF + o]!;
        pendingMatMul = { weight, bias: new Float64Array(outF), inFeatures: inF, outFeatures: outF };
        width = outF;
        break;
      }
      case 'Relu':
      case 'LeakyRelu':
      case 'Sigmoid':
      case 'Tanh':
      case 'Softmax': {
        closeMatMul();
        if (dense.length === 0) refuse('an activation before the first dense layer');
        if (op === 'Softmax') {
          const axis = intAttribute(node, 'axis', opset >= 13 ? -1 : 1);
          if (axis !== 1 && axis !== -1) refuse(`axis ${axis} (only 1: over the outputs of each example)`);
        }
        const activation = (
          { Relu: 'relu', LeakyRelu: 'leaky_relu', Sigmoid: 'sigmoid', Tanh: 'tanh', Softmax: 'softmax' } as const
        )[op];
        const slope =
          op === 'LeakyRelu' ? shortestDecimal(floatAttribute(node, 'alpha', DEFAULT_LEAKY_SLOPE)) : undefined;
        const last = layers[layers.length - 1]!;
        if (denseOpen && last.type === 'dense') {
          last.activation = activation;
          if (slope !== undefined) last.slope = slope;
        } else {
          layers.push(
            slope !== undefined ? { type: 'activation', activation, slope } : { type: 'activation', activation },
          );
        }
        denseOpen = false;
        break;
      }
      default:
        refuse('not an MLP operator');
    }
    current = node.output?.[0] ?? '';
  }
  closeMatMul();
  check(dense.length > 0, FormatError, () => `${src}: the graph has no dense layer (Gemm or MatMul)`);
  const outputName = graph.output?.[0]?.name;
  check(
    outputName === current,
    FormatError,
    () => `${src}: the graph's first output '${outputName}' is not the end of the layer chain ('${current}')`,
  );

  const metadata = new Map((proto.metadata_props ?? []).map((p) => [p.key ?? '', p.value ?? '']));
  const first = dense[0]!;
  const savedScaler = jsonMetadata<ScalerConfig>(metadata, ONNX_METADATA.scaler, src);
  const scaler = affineToInput(inputOps, first, savedScaler, src);
  const outputs = dense[dense.length - 1]!.outFeatures;
  const last = layers[layers.length - 1]!;
  const taskText = options.task ?? metadata.get(ONNX_METADATA.task);
  const task: Task = taskText ? resolveTask(taskText) : inferTask(last.type === 'dropout' ? 'linear' : last.activation);
  const json: ModelJson = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    library: { name: 'backprop', version: VERSION },
    architecture: { inputs: first.inFeatures, outputs, layers },
    task,
    loss: (metadata.get(ONNX_METADATA.loss) as ModelJson['loss']) || taskDefaults(task).loss,
    metrics: null,
    labels: jsonMetadata<Label[]>(metadata, ONNX_METADATA.labels, src),
    featureNames: jsonMetadata<string[]>(metadata, ONNX_METADATA.featureNames, src),
    targetNames: jsonMetadata<string[]>(metadata, ONNX_METADATA.targetNames, src),
    scaler,
    training: {
      importedFrom: {
        format: 'onnx',
        producer: [proto.producer_name, proto.producer_version].filter(Boolean).join(' ') || null,
        opset,
      },
    },
    weights: WEIGHTS_FILE,
  };
  const tensors: Record<string, Tensor> = {};
  dense.forEach((d, i) => {
    tensors[`layers.${i}.weight`] = new Tensor(Float32Array.from(d.weight), [d.outFeatures, d.inFeatures]);
    tensors[`layers.${i}.bias`] = new Tensor(Float32Array.from(d.bias), [d.outFeatures]);
  });
  return modelFromParts(json, tensors, { source: src, backend: options.backend });
}

/** softmax → classification, sigmoid → multilabel, anything else → regression. */
function inferTask(activation: string): Task {
  return activation === 'softmax' ? 'classification' : activation === 'sigmoid' ? 'multilabel' : 'regression';
}

/** The shortest decimal that rounds to the same float32 (an attribute 0.00999999977648 was written as 0.01). */
function shortestDecimal(value: number): number {
  const target = Math.fround(value);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(target.toPrecision(digits));
    if (Math.fround(candidate) === target) return candidate;
  }
  return target;
}

function perUnit(c: Constant, units: number, fail: () => never): Float64Array {
  if (c.data.length === units) return Float64Array.from(c.data);
  if (c.data.length === 1) return new Float64Array(units).fill(c.data[0]!);
  return fail();
}

function jsonMetadata<T>(metadata: Map<string, string>, key: string, src: string): T | null {
  const text = metadata.get(key);
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new FormatError(`${src}: metadata '${key}' is not valid JSON: ${text.slice(0, 80)}`);
  }
}

function attribute(node: NodeProto, name: string): AttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

function intAttribute(node: NodeProto, name: string, fallback: number): number {
  return attribute(node, name)?.i ?? fallback;
}

function floatAttribute(node: NodeProto, name: string, fallback: number): number {
  return attribute(node, name)?.f ?? fallback;
}

/** The value of a Constant node (its `value` tensor or value_float(s)/value_int(s)). */
function constantNodeValue(node: NodeProto, src: string, label: string): Constant {
  const a = (node.attribute ?? [])[0];
  switch (a?.name) {
    case 'value':
      return tensorValues(a.t ?? {}, src);
    case 'value_float':
      return { dims: [], data: Float64Array.of(a.f ?? 0) };
    case 'value_floats':
      return { dims: [a.floats?.length ?? 0], data: Float64Array.from(a.floats ?? []) };
    case 'value_int':
      return { dims: [], data: Float64Array.of(a.i ?? 0) };
    case 'value_ints':
      return { dims: [a.ints?.length ?? 0], data: Float64Array.from(a.ints ?? []) };
    default:
      throw new FormatError(
        `${src}: ${label} has an unsupported value attribute '${a?.name ?? 'none'}' (type ${a?.type ?? ATTRIBUTE_TYPE.TENSOR})`,
      );
  }
}

/** A tensor's values as float64, from float_data/double_data/int64_data/int32_data or raw_data. */
function tensorValues(t: TensorProto, src: string): Constant {
  const dims = (t.dims ?? []).map(Number);
  const count = dims.reduce((a, d) => a * d, 1);
  const name = t.name ?? '';
  check(
    t.data_location !== 1,
    FormatError,
    () =>
      `${src}: tensor '${name}' keeps its data in an external file, which is not supported (save the model with the data inside)`,
  );
  const raw = t.raw_data;
  let data: Float64Array;
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const size =
      t.data_type === DATA_TYPE.FLOAT ? 4 : t.data_type === DATA_TYPE.DOUBLE || t.data_type === DATA_TYPE.INT64 ? 8 : 0;
    check(
      size > 0,
      FormatError,
      () =>
        `${src}: tensor '${name}' has data type ${t.data_type} (only float, double and int64 constants are supported)`,
    );
    check(
      raw.length === count * size,
      FormatError,
      () => `${src}: tensor '${name}' has ${raw.length} bytes of data for shape [${dims.join(', ')}]`,
    );
    data = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      data[i] =
        size === 4
          ? view.getFloat32(i * 4, true)
          : t.data_type === DATA_TYPE.DOUBLE
            ? view.getFloat64(i * 8, true)
            : Number(view.getBigInt64(i * 8, true));
    }
  } else {
    const values = t.float_data?.length
      ? t.float_data
      : t.double_data?.length
        ? t.double_data
        : t.int64_data?.length
          ? t.int64_data
          : (t.int32_data ?? []);
    check(
      values.length === count,
      FormatError,
      () => `${src}: tensor '${name}' has ${values.length} values for shape [${dims.join(', ')}]`,
    );
    data = Float64Array.from(values, Number);
  }
  return { dims, data };
}
