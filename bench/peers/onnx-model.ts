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

/** An attribute of the node: a float (LeakyRelu's alpha) or an int (Softmax's axis). */
export type OnnxAttribute = { readonly name: string; readonly float: number } | { readonly name: string; readonly int: number };

/** What a one-node model computes: y = op_type(x), both float32 tensors of `shape`. */
export interface OneNodeModel {
  /** The ONNX operator, e.g. 'Sigmoid', 'LeakyRelu', 'Softmax'. */
  readonly opType: string;
  readonly attributes?: readonly OnnxAttribute[];
  /** Dimensions of x and y: numbers for fixed sizes, strings for symbolic ones ('N'). */
  readonly shape: readonly (number | string)[];
  /** Default opset 13 (Softmax along one axis, as PyTorch's). */
  readonly opset?: number;
}

/** The input and output names of every model built here. */
export const INPUT_NAME = 'x';
export const OUTPUT_NAME = 'y';

// onnx.proto3 enum values used here.
const TENSOR_FLOAT = 1; // TensorProto.DataType.FLOAT
const ATTRIBUTE_FLOAT = 1; // AttributeProto.AttributeType.FLOAT
const ATTRIBUTE_INT = 2; // AttributeProto.AttributeType.INT
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
  return 'float' in a ? w.float(2, a.float).int(20, ATTRIBUTE_FLOAT) : w.int(3, a.int).int(20, ATTRIBUTE_INT);
}

/** The serialized ModelProto of `y = opType(x)`, ready for `InferenceSession.create(bytes)`. */
export function oneNodeModel(model: OneNodeModel): Uint8Array {
  const node = new ProtoWriter()
    .string(1, INPUT_NAME) // NodeProto.input
    .string(2, OUTPUT_NAME) // NodeProto.output
    .string(3, model.opType.toLowerCase()) // NodeProto.name
    .string(4, model.opType); // NodeProto.op_type
  for (const a of model.attributes ?? []) node.message(5, attribute(a)); // NodeProto.attribute
  const graph = new ProtoWriter()
    .message(1, node) // GraphProto.node
    .string(2, `${model.opType.toLowerCase()}-graph`) // GraphProto.name
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
