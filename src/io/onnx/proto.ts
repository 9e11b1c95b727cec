// ONNX ModelProto bytes ⇄ plain objects, through protobufjs and the schema in schema.ts.
import protobuf from 'protobufjs/light.js';
import { FormatError } from '../../core/errors.js';
import { ONNX_SCHEMA } from './schema.js';

/** TensorProto.DataType values used here. */
export const DATA_TYPE = { FLOAT: 1, INT64: 7, DOUBLE: 11 } as const;
/** AttributeProto.AttributeType values used here. */
export const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

export interface TensorProto {
  name?: string;
  dims?: number[];
  data_type?: number;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: number[];
  double_data?: number[];
  raw_data?: Uint8Array;
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

export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
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

export interface GraphProto {
  name?: string;
  node?: NodeProto[];
  initializer?: TensorProto[];
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  value_info?: ValueInfoProto[];
  doc_string?: string;
}

export interface ModelProto {
  ir_version?: number;
  opset_import?: { domain?: string; version?: number }[];
  producer_name?: string;
  producer_version?: string;
  domain?: string;
  model_version?: number;
  doc_string?: string;
  graph?: GraphProto;
  metadata_props?: { key?: string; value?: string }[];
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
