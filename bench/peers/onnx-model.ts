// One-node ONNX models built in memory, so the benchmark ships no model files: a minimal
// protocol-buffers writer and the few messages of onnx.proto3 a single-operator graph needs
// (ModelProto, OperatorSetIdProto, GraphProto, NodeProto, AttributeProto, ValueInfoProto,
// TypeProto.Tensor, TensorShapeProto). Field numbers are those of onnx/onnx.proto3.

/** Wire types of the protobuf encoding. */
const VARINT = 0;
const FIXED32 = 5;
const LENGTH_DELIMITED = 2;

/** Appends protobuf fields to a growing byte list. */
export class ProtoWriter {
  private readonly bytes: number[] = [];

  /** A base-128 varint; negative integers as 64-bit two's complement (10 bytes), as int64 fields want. */
  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }

  private key(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  /** An int32 / int64 / enum field. */
  int(field: number, value: number): this {
    if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf int field ${field}: not a safe integer: ${value}`);
    this.key(field, VARINT);
    this.varint(value);
    return this;
  }

  /** A float field (4 bytes, little-endian). */
  float(field: number, value: number): this {
    this.key(field, FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.bytes.push(...b);
    return this;
  }

  /** A bytes field, or an embedded message's encoding. */
  raw(field: number, data: Uint8Array): this {
    this.key(field, LENGTH_DELIMITED);
    this.varint(data.length);
    for (const byte of data) this.bytes.push(byte);
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, value: string): this {
    return this.raw(field, new TextEncoder().encode(value));
  }

  /** An embedded message field. */
  message(field: number, message: ProtoWriter): this {
    return this.raw(field, message.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** An attribute of a node: a float (LeakyRelu's alpha), an int (Softmax's axis) or a string (Gelu's approximate). */
export type OnnxAttribute =
  | { readonly name: string; readonly float: number }
  | { readonly name: string; readonly int: number }
  | { readonly name: string; readonly string: string };

/** What a one-node model computes: y = op_type(x), both float32 tensors of `shape`. */
export interface OneNodeModel {
  /** The ONNX operator, e.g. 'Sigmoid', 'LeakyRelu', 'Softmax'. */
  readonly opType: string;
  readonly attributes?: readonly OnnxAttribute[];
  /** Dimensions of x and y: numbers for fixed sizes, strings for symbolic ones ('N'). */
  readonly shape: readonly (number | string)[];
  /** Default opset 13 (Softmax along one axis, as PyTorch's). */
  readonly opset?: number;
  /** Constant inputs after x (PRelu's slope), as initializers of the graph. */
  readonly constants?: readonly OnnxConstant[];
  /**
   * Further nodes after the first, for a composite (silu = x · Sigmoid(x)): the first node then
   * writes `inner` instead of y, and the last of these writes y.
   */
  readonly then?: readonly OnnxNode[];
}

/** A float32 constant input of the graph. */
export interface OnnxConstant {
  readonly name: string;
  readonly dims: readonly number[];
  readonly values: readonly number[];
}

/** A node of a composite graph: its operator, input and output names, attributes. */
export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly output: string;
  readonly attributes?: readonly OnnxAttribute[];
}

/** The input and output names of every model built here. */
export const INPUT_NAME = 'x';
export const OUTPUT_NAME = 'y';

// onnx.proto3 enum values used here.
const TENSOR_FLOAT = 1; // TensorProto.DataType.FLOAT
const ATTRIBUTE_FLOAT = 1; // AttributeProto.AttributeType.FLOAT
const ATTRIBUTE_INT = 2; // AttributeProto.AttributeType.INT
const ATTRIBUTE_STRING = 3; // AttributeProto.AttributeType.STRING
/** IR version 8 (ONNX 1.10+), read by every onnxruntime since 1.10. */
const IR_VERSION = 8;

function valueInfo(name: string, shape: readonly (number | string)[]): ProtoWriter {
  const dims = new ProtoWriter();
  for (const d of shape) dims.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensor = new ProtoWriter().int(1, TENSOR_FLOAT).message(2, dims); // TypeProto.Tensor: elem_type, shape
  const type = new ProtoWriter().message(1, tensor); // TypeProto: tensor_type
  return new ProtoWriter().string(1, name).message(2, type); // ValueInfoProto: name, type
}

function attribute(a: OnnxAttribute): ProtoWriter {
  const w = new ProtoWriter().string(1, a.name); // AttributeProto.name
  if ('string' in a) return w.string(4, a.string).int(20, ATTRIBUTE_STRING); // AttributeProto.s
  return 'float' in a ? w.float(2, a.float).int(20, ATTRIBUTE_FLOAT) : w.int(3, a.int).int(20, ATTRIBUTE_INT);
}

/** A NodeProto: inputs, output, name, op_type, attributes. */
function nodeProto(opType: string, inputs: readonly string[], output: string, attributes: readonly OnnxAttribute[] = []): ProtoWriter {
  const node = new ProtoWriter();
  for (const input of inputs) node.string(1, input); // NodeProto.input
  node.string(2, output) // NodeProto.output
    .string(3, opType.toLowerCase()) // NodeProto.name
    .string(4, opType); // NodeProto.op_type
  for (const a of attributes) node.message(5, attribute(a)); // NodeProto.attribute
  return node;
}

/** A TensorProto of float32 values (an initializer). */
function tensorProto(c: OnnxConstant): ProtoWriter {
  const t = new ProtoWriter();
  for (const d of c.dims) t.int(1, d); // TensorProto.dims
  t.int(2, TENSOR_FLOAT); // TensorProto.data_type
  const raw = new Uint8Array(c.values.length * 4);
  const view = new DataView(raw.buffer);
  c.values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return t.string(8, c.name).raw(9, raw); // TensorProto.name, raw_data (little-endian)
}

/** The name of the first node's output in a composite graph. */
export const INNER_NAME = 'inner';

/** The serialized ModelProto of `y = opType(x)`, ready for `InferenceSession.create(bytes)`. */
export function oneNodeModel(model: OneNodeModel): Uint8Array {
  const constants = model.constants ?? [];
  const then = model.then ?? [];
  const first = nodeProto(model.opType, [INPUT_NAME, ...constants.map((c) => c.name)], then.length ? INNER_NAME : OUTPUT_NAME, model.attributes);
  const graph = new ProtoWriter().message(1, first); // GraphProto.node
  for (const n of then) graph.message(1, nodeProto(n.opType, n.inputs, n.output, n.attributes));
  graph.string(2, `${model.opType.toLowerCase()}-graph`); // GraphProto.name
  for (const c of constants) graph.message(5, tensorProto(c)); // GraphProto.initializer
  graph
    .message(11, valueInfo(INPUT_NAME, model.shape)) // GraphProto.input
    .message(12, valueInfo(OUTPUT_NAME, model.shape)); // GraphProto.output
  const opset = new ProtoWriter().string(1, '').int(2, model.opset ?? 13); // OperatorSetIdProto: domain, version
  return new ProtoWriter()
    .int(1, IR_VERSION) // ModelProto.ir_version
    .string(2, 'wasm-activations-bench') // ModelProto.producer_name
    .message(7, graph) // ModelProto.graph
    .message(8, opset) // ModelProto.opset_import
    .finish();
}
