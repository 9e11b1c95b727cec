/**
 * ONNX export as bytes, for browsers and Node (a separate entry so that `backprop` stays without
 * protobufjs).
 *
 * @example
 * import { toOnnx } from 'backprop/onnx';
 * const bytes = toOnnx(model); // an ONNX ModelProto: input [batch, features] → output [batch, outputs]
 *
 * @module backprop/onnx
 */
// `backprop/onnx`: ONNX export as bytes, for browsers and Node. A separate entry because protobufjs
// is CommonJS with side effects: bundlers keep it whole (about 88 kB) in every bundle that imports
// it, so `backprop` itself (and the playground) stays without it. `backprop/node` re-exports this.
export {
  ONNX_INPUT,
  ONNX_IR_VERSION,
  ONNX_METADATA,
  ONNX_OPSET,
  ONNX_OUTPUT,
  onnxModelProto,
  toOnnx,
} from './io/onnx/export.js';
export {
  decodeModelProto,
  encodeModelProto,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
} from './io/onnx/proto.js';
