// A backprop model as an ONNX graph: the scaler as Sub/Div (or Sub/Mul) at the input, one Gemm per
// dense layer followed by its activation, dropout left out; class labels and names as metadata.

import type { ActivationName } from '../../backend/backend.js';
import { ConfigError, check } from '../../core/errors.js';
import type { Scaler } from '../../data/scaler.js';
import type { Sequential } from '../../model/sequential.js';
import { VERSION } from '../../version.js';
import {
  ATTRIBUTE_TYPE,
  type AttributeProto,
  DATA_TYPE,
  encodeModelProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
} from './proto.js';

/** ONNX IR version written (that of ONNX 1.10–1.12; every current runtime reads it). */
export const ONNX_IR_VERSION = 8;
/** Opset of the default domain: Softmax's axis semantics of 13 (one axis, not "all after"). */
export const ONNX_OPSET = 13;
/** The graph's input and first output names. */
export const ONNX_INPUT = 'input';
/** The graph's output name: the network's output ŷ [batch, outputs]. */
export const ONNX_OUTPUT = 'output';

/** Metadata keys (values are JSON for lists and the scaler, plain text otherwise). */
export const ONNX_METADATA = {
  /** The model's task. */
  task: 'task',
  /** The compiled loss. */
  loss: 'loss',
  /** Class labels (JSON list). */
  labels: 'labels',
  /** Input feature names (JSON list). */
  featureNames: 'feature_names',
  /** Target names (JSON list). */
  targetNames: 'target_names',
  /** The input scaler (JSON ScalerConfig). */
  scaler: 'scaler',
} as const;

/**
 * The ONNX protobuf bytes of `model`: one float32 input `input` [batch, features] taking the raw
 * feature columns (the scaler is part of the graph) and one output `output` [batch, outputs] with
 * the probabilities (classification, multilabel) or values (regression) `model.predict` returns.
 *
 * @example
 * const bytes = toOnnx(model);   // Uint8Array; await fs.writeFile('model.onnx', bytes)
 */
export function toOnnx(model: Sequential): Uint8Array {
  return encodeModelProto(onnxModelProto(model));
}

/** The ModelProto of `model` as a plain object (what toOnnx serialises). */
export function onnxModelProto(model: Sequential): ModelProto {
  const network = model.network;
  const features = network.inputFeatures;
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  let current = ONNX_INPUT;
  const add = (opType: string, inputs: string[], output: string, attribute: AttributeProto[] = []): void => {
    nodes.push({ name: output, op_type: opType, input: [current, ...inputs], output: [output], attribute });
    current = output;
  };
  const constant = (name: string, values: ArrayLike<number>, dims: number[]): string => {
    initializers.push(floatTensor(name, values, dims));
    return name;
  };

  if (model.scaler) scalerNodes(model.scaler, add, constant);
  let dense = 0;
  network.layers.forEach((layer, index) => {
    const config = layer.config();
    switch (config.type) {
      case 'dense': {
        const w = constant(`layers.${dense}.weight`, layer.parameters()[0]!.value.data, [
          config.outFeatures,
          config.inFeatures,
        ]);
        const b = constant(`layers.${dense}.bias`, layer.parameters()[1]!.value.data, [config.outFeatures]);
        add('Gemm', [w, b], `layers.${dense}.z`, [intAttribute('transB', 1)]);
        activationNode(config.activation, config.slope, `layers.${dense}.a`, add);
        dense++;
        break;
      }
      case 'activation':
        activationNode(config.activation, config.slope, `activation.${index}`, add);
        break;
      case 'dropout':
        // Inference: dropout is the identity.
        break;
      default: {
        const unknown: never = config;
        throw new ConfigError(
          `toOnnx: layer ${index} has an unsupported type ${JSON.stringify((unknown as { type: string }).type)}`,
        );
      }
    }
  });
  check(nodes.length > 0, ConfigError, () => `toOnnx: the model has no layer to export`);
  nodes[nodes.length - 1]!.output = [ONNX_OUTPUT];

  const metadata: { key: string; value: string }[] = [];
  const meta = (key: string, value: unknown): void => {
    if (value !== null && value !== undefined)
      metadata.push({ key, value: typeof value === 'string' ? value : JSON.stringify(value) });
  };
  meta(ONNX_METADATA.task, model.task);
  meta(ONNX_METADATA.loss, compiledLoss(model));
  meta(ONNX_METADATA.labels, model.labels);
  meta(ONNX_METADATA.featureNames, model.featureNames);
  meta(ONNX_METADATA.targetNames, model.targetNames);
  meta(ONNX_METADATA.scaler, model.scaler?.toJSON());

  const outputs = network.outputFeatures;
  const what = model.task === 'regression' || model.task === null ? 'values' : 'probabilities';
  return {
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'backprop',
    producer_version: VERSION,
    doc_string: `MLP exported by backprop ${VERSION}: input [batch, ${features}] raw features, output [batch, ${outputs}] ${what}`,
    graph: {
      name: 'backprop_mlp',
      node: nodes,
      initializer: initializers,
      input: [tensorValueInfo(ONNX_INPUT, features)],
      output: [tensorValueInfo(ONNX_OUTPUT, outputs)],
    },
    metadata_props: metadata,
  };
}

type AddNode = (opType: string, inputs: string[], output: string, attribute?: AttributeProto[]) => void;
type AddConstant = (name: string, values: ArrayLike<number>, dims: number[]) => string;

/** The scaler's transform, computed like Scaler.transformInPlace: (x − μ)/σ, or (x − min)·(1/range). */
function scalerNodes(scaler: Scaler, add: AddNode, constant: AddConstant): void {
  const c = scaler.toJSON();
  const n = scaler.features;
  switch (c.type) {
    case 'standard':
      add('Sub', [constant('scaler.mean', c.mean, [n])], 'scaler.centered');
      add('Div', [constant('scaler.scale', c.scale, [n])], 'scaler.output');
      break;
    case 'minmax': {
      // Mul by 1/range rather than Div by range: a constant feature (range 0) maps to 0, as in backprop.
      const inv = c.min.map((lo, j) => (c.max[j]! - lo > 0 ? 1 / (c.max[j]! - lo) : 0));
      add('Sub', [constant('scaler.min', c.min, [n])], 'scaler.shifted');
      add('Mul', [constant('scaler.inv_range', inv, [n])], 'scaler.output');
      break;
    }
    default: {
      const unknown: never = c;
      throw new ConfigError(`toOnnx: unsupported scaler type ${JSON.stringify((unknown as { type: string }).type)}`);
    }
  }
}

function activationNode(activation: ActivationName, slope: number | undefined, output: string, add: AddNode): void {
  switch (activation) {
    case 'linear':
      return;
    case 'relu':
      add('Relu', [], output);
      return;
    case 'leaky_relu':
      add('LeakyRelu', [], output, [{ name: 'alpha', type: ATTRIBUTE_TYPE.FLOAT, f: slope ?? 0.01 }]);
      return;
    case 'sigmoid':
      add('Sigmoid', [], output);
      return;
    case 'tanh':
      add('Tanh', [], output);
      return;
    case 'softmax':
      add('Softmax', [], output, [intAttribute('axis', 1)]);
      return;
    default: {
      const unknown: never = activation;
      throw new ConfigError(`toOnnx: activation '${String(unknown)}' has no ONNX operator here`);
    }
  }
}

function intAttribute(name: string, value: number): AttributeProto {
  return { name, type: ATTRIBUTE_TYPE.INT, i: value };
}

/** A float32 initializer with its values as little-endian raw_data (the usual ONNX layout). */
function floatTensor(name: string, values: ArrayLike<number>, dims: number[]): TensorProto {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return { name, dims, data_type: DATA_TYPE.FLOAT, raw_data: raw };
}

function tensorValueInfo(name: string, width: number): NonNullable<NonNullable<ModelProto['graph']>['input']>[number] {
  return {
    name,
    type: {
      tensor_type: { elem_type: DATA_TYPE.FLOAT, shape: { dim: [{ dim_param: 'batch' }, { dim_value: width }] } },
    },
  };
}

function compiledLoss(model: Sequential): string | null {
  try {
    return model.loss;
  } catch {
    return null;
  }
}
