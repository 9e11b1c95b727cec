// ONNX ModelProto bytes ⇄ plain objects, through protobufjs and the schema in schema.ts.
import protobuf from 'protobufjs/light.js';
import { FormatError } from '../../core/errors.js';
import { ONNX_SCHEMA } from './schema.js';

/** TensorProto.DataType values used here. */
export const DATA_TYPE = { FLOAT: 1, INT64: 7, DOUBLE: 11 } as const;
/** AttributeProto.AttributeType values used here. */
export const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

/** onnx.proto's TensorProto, the fields backprop reads and writes: a named constant (weights, biases). */
export interface TensorProto {
  /** The initializer's name, referenced by node inputs. */
  name?: string;
  /** Dimensions, outermost first. */
  dims?: number[];
  /** TensorProto.DataType: 1 FLOAT, 7 INT64, 11 DOUBLE, ... */
  data_type?: number;
  /** Values of a FLOAT tensor when not in raw_data. */
  float_data?: number[];
  /** Values of INT32 (and smaller) tensors when not in raw_data. */
  int32_data?: number[];
  /** Values of an INT64 tensor when not in raw_data. */
  int64_data?: number[];
  /** Values of a DOUBLE tensor when not in raw_data. */
  double_data?: number[];
  /** The values as little-endian bytes (what exporters usually write). */
  raw_data?: Uint8Array;
  /** 1 when the data lives in an external file (not supported by backprop's import). */
  data_location?: number;
}

export interface AttributeProto {
  name?: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  floats?: number[];
  ints?: number[];
}

/** onnx.proto's NodeProto: one operator application in the graph. */
export interface NodeProto {
  /** Names of the values it reads (graph inputs, initializers, other nodes' outputs). */
  input?: string[];
  /** Names of the values it produces. */
  output?: string[];
  /** The node's own name (optional in ONNX). */
  name?: string;
  /** The operator: `Gemm`, `Relu`, `Softmax`, ... */
  op_type?: string;
  /** The operator set's domain ('' or absent: the default ONNX domain). */
  domain?: string;
  /** The operator's attributes (`transB`, `alpha`, `axis`, ...). */
  attribute?: AttributeProto[];
}

export interface DimensionProto {
  dim_value?: number;
  dim_param?: string;
}

export interface ValueInfoProto {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: DimensionProto[] } } };
}

/** onnx.proto's GraphProto: the nodes in topological order, the constants, and the graph's inputs and outputs. */
export interface GraphProto {
  /** The graph's name. */
  name?: string;
  /** The operators, in an order where each reads only values defined before it. */
  node?: NodeProto[];
  /** Named constants (weights and biases). */
  initializer?: TensorProto[];
  /** The graph's inputs, with types and shapes. */
  input?: ValueInfoProto[];
  /** The graph's outputs, with types and shapes. */
  output?: ValueInfoProto[];
  /** Types of intermediate values (optional). */
  value_info?: ValueInfoProto[];
  /** Free text. */
  doc_string?: string;
}

/**
 * onnx.proto's ModelProto as a plain object (snake_case field names, as protobufjs gives them): the
 * fields an MLP export and import use.
 *
 * @example
 * const proto = decodeModelProto(toOnnx(model));
 * proto.graph?.node?.map((n) => n.op_type); // ['Gemm', 'Relu', 'Gemm', 'Softmax']
 */
export interface ModelProto {
  /** The ONNX IR version (ONNX_IR_VERSION on export). */
  ir_version?: number;
  /** The operator sets the graph uses. */
  opset_import?: {
    /** '' or absent: the default ONNX domain. */
    domain?: string;
    /** The operator set version (ONNX_OPSET on export). */
    version?: number;
  }[];
  /** The producing tool (`backprop` on export). */
  producer_name?: string;
  /** Its version. */
  producer_version?: string;
  /** The model's namespace (optional). */
  domain?: string;
  /** The model's own version (optional). */
  model_version?: number;
  /** Free text (backprop writes the input and output shapes). */
  doc_string?: string;
  /** The computation. */
  graph?: GraphProto;
  /** Key-value metadata (backprop's keys: ONNX_METADATA). */
  metadata_props?: {
    /** The key. */
    key?: string;
    /** The value (JSON for lists and the scaler). */
    value?: string;
  }[];
}

let modelType: protobuf.Type | null = null;

function modelProto(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');
  return modelType;
}

/** Serialises a ModelProto to its protobuf bytes. */
export function encodeModelProto(model: ModelProto): Uint8Array {
  const type = modelProto();
  const message = type.fromObject(model as Record<string, unknown>);
  return type.encode(message).finish();
}

/**
 * Parses ModelProto bytes. int64 fields come back as numbers (exact below 2^53, which covers
 * every dimension and attribute an MLP has); repeated fields are arrays, empty when absent.
 */
export function decodeModelProto(bytes: Uint8Array, source = 'ONNX model'): ModelProto {
  const type = modelProto();
  let message: protobuf.Message;
  try {
    message = type.decode(bytes);
  } catch (e) {
    throw new FormatError(`${source}: not an ONNX model (protobuf decoding failed: ${(e as Error).message})`);
  }
  return type.toObject(message, { longs: Number, arrays: true, defaults: false }) as ModelProto;
}
