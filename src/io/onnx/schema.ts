// The part of ONNX's protobuf schema (onnx/onnx.proto, IR version 8) that MLP models use, as a
// protobufjs JSON descriptor. Each message's fields are written as onnx.proto writes them, so the
// two can be compared line by line (Copyright the ONNX Project Contributors, Apache-2.0); messages
// we never read or write (SparseTensorProto, FunctionProto, TrainingInfoProto, ...) are left out,
// so their fields are skipped as unknown when a file has them.
import type { IField, INamespace, IType } from 'protobufjs/light.js';

/** One field line of a .proto message: `[repeated] type name = id [packed = true];`. */
const FIELD = /^(repeated\s+)?(\w+)\s+(\w+)\s*=\s*(\d+)\s*(\[packed = true\])?;$/;

/**
 * A message descriptor from its field lines in .proto syntax (the light protobufjs build has no
 * .proto parser), plus its oneofs and nested messages.
 */
function message(proto: string, extra: Omit<IType, 'fields'> = {}): IType {
  const fields: Record<string, IField> = {};
  for (const line of proto
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')) {
    const m = FIELD.exec(line);
    if (m === null) throw new Error(`ONNX schema: cannot read the field line '${line}'`);
    fields[m[3]!] = {
      ...(m[1] ? { rule: 'repeated' } : {}),
      type: m[2]!,
      id: Number(m[4]),
      ...(m[5] ? { options: { packed: true } } : {}),
    };
  }
  return { ...extra, fields };
}

export const ONNX_SCHEMA: INamespace = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: message(`
          string name = 1;
          string ref_attr_name = 21;
          string doc_string = 13;
          int32 type = 20;
          float f = 2;
          int64 i = 3;
          bytes s = 4;
          TensorProto t = 5;
          GraphProto g = 6;
          TypeProto tp = 14;
          repeated float floats = 7;
          repeated int64 ints = 8;
          repeated bytes strings = 9;
          repeated TensorProto tensors = 10;
          repeated GraphProto graphs = 11;
          repeated TypeProto type_protos = 15;
        `),
        ValueInfoProto: message(`
          string name = 1;
          TypeProto type = 2;
          string doc_string = 3;
        `),
        NodeProto: message(`
          repeated string input = 1;
          repeated string output = 2;
          string name = 3;
          string op_type = 4;
          string domain = 7;
          repeated AttributeProto attribute = 5;
          string doc_string = 6;
        `),
        ModelProto: message(`
          int64 ir_version = 1;
          repeated OperatorSetIdProto opset_import = 8;
          string producer_name = 2;
          string producer_version = 3;
          string domain = 4;
          int64 model_version = 5;
          string doc_string = 6;
          GraphProto graph = 7;
          repeated StringStringEntryProto metadata_props = 14;
        `),
        StringStringEntryProto: message(`
          string key = 1;
          string value = 2;
        `),
        GraphProto: message(`
          repeated NodeProto node = 1;
          string name = 2;
          repeated TensorProto initializer = 5;
          string doc_string = 10;
          repeated ValueInfoProto input = 11;
          repeated ValueInfoProto output = 12;
          repeated ValueInfoProto value_info = 13;
        `),
        TensorProto: message(`
          repeated int64 dims = 1;
          int32 data_type = 2;
          repeated float float_data = 4 [packed = true];
          repeated int32 int32_data = 5 [packed = true];
          repeated bytes string_data = 6;
          repeated int64 int64_data = 7 [packed = true];
          string name = 8;
          string doc_string = 12;
          bytes raw_data = 9;
          repeated StringStringEntryProto external_data = 13;
          int32 data_location = 14;
          repeated double double_data = 10 [packed = true];
          repeated uint64 uint64_data = 11 [packed = true];
        `),
        TensorShapeProto: message(
          `
          repeated Dimension dim = 1;
        `,
          {
            nested: {
              Dimension: message(
                `
              int64 dim_value = 1;
              string dim_param = 2;
              string denotation = 3;
            `,
                {
                  oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
                },
              ),
            },
          },
        ),
        TypeProto: message(
          `
          Tensor tensor_type = 1;
          string denotation = 6;
        `,
          {
            oneofs: { value: { oneof: ['tensor_type'] } },
            nested: {
              Tensor: message(`
              int32 elem_type = 1;
              TensorShapeProto shape = 2;
            `),
            },
          },
        ),
        OperatorSetIdProto: message(`
          string domain = 1;
          int64 version = 2;
        `),
      },
    },
  },
};
