"use strict";
// One-node ONNX models built in memory, so the benchmark ships no model files: a minimal
// protocol-buffers writer and the few messages of onnx.proto3 a single-operator graph needs
// (ModelProto, OperatorSetIdProto, GraphProto, NodeProto, AttributeProto, ValueInfoProto,
// TypeProto.Tensor, TensorShapeProto). Field numbers are those of onnx/onnx.proto3.
Object.defineProperty(exports, "__esModule", { value: true });
exports.OUTPUT_NAME = exports.INPUT_NAME = exports.ProtoWriter = void 0;
exports.oneNodeModel = oneNodeModel;
/** Wire types of the protobuf encoding. */
var VARINT = 0;
var FIXED32 = 5;
var LENGTH_DELIMITED = 2;
/** Appends protobuf fields to a growing byte list. */
var ProtoWriter = /** @class */ (function () {
    function ProtoWriter() {
        this.bytes = [];
    }
    /** A base-128 varint; negative integers as 64-bit two's complement (10 bytes), as int64 fields want. */
    ProtoWriter.prototype.varint = function (value) {
        var v = BigInt.asUintN(64, BigInt(value));
        while (v >= 0x80n) {
            this.bytes.push(Number(v & 0x7fn) | 0x80);
            v >>= 7n;
        }
        this.bytes.push(Number(v));
    };
    ProtoWriter.prototype.key = function (field, wire) {
        this.varint((field << 3) | wire);
    };
    /** An int32 / int64 / enum field. */
    ProtoWriter.prototype.int = function (field, value) {
        if (!Number.isSafeInteger(value))
            throw new RangeError("protobuf int field ".concat(field, ": not a safe integer: ").concat(value));
        this.key(field, VARINT);
        this.varint(value);
        return this;
    };
    /** A float field (4 bytes, little-endian). */
    ProtoWriter.prototype.float = function (field, value) {
        var _a;
        this.key(field, FIXED32);
        var b = new Uint8Array(4);
        new DataView(b.buffer).setFloat32(0, value, true);
        (_a = this.bytes).push.apply(_a, b);
        return this;
    };
    /** A bytes field, or an embedded message's encoding. */
    ProtoWriter.prototype.raw = function (field, data) {
        this.key(field, LENGTH_DELIMITED);
        this.varint(data.length);
        for (var _i = 0, data_1 = data; _i < data_1.length; _i++) {
            var byte = data_1[_i];
            this.bytes.push(byte);
        }
        return this;
    };
    /** A string field (UTF-8). */
    ProtoWriter.prototype.string = function (field, value) {
        return this.raw(field, new TextEncoder().encode(value));
    };
    /** An embedded message field. */
    ProtoWriter.prototype.message = function (field, message) {
        return this.raw(field, message.finish());
    };
    ProtoWriter.prototype.finish = function () {
        return Uint8Array.from(this.bytes);
    };
    return ProtoWriter;
}());
exports.ProtoWriter = ProtoWriter;
/** The input and output names of every model built here. */
exports.INPUT_NAME = 'x';
exports.OUTPUT_NAME = 'y';
// onnx.proto3 enum values used here.
var TENSOR_FLOAT = 1; // TensorProto.DataType.FLOAT
var ATTRIBUTE_FLOAT = 1; // AttributeProto.AttributeType.FLOAT
var ATTRIBUTE_INT = 2; // AttributeProto.AttributeType.INT
/** IR version 8 (ONNX 1.10+), read by every onnxruntime since 1.10. */
var IR_VERSION = 8;
function valueInfo(name, shape) {
    var dims = new ProtoWriter();
    for (var _i = 0, shape_1 = shape; _i < shape_1.length; _i++) {
        var d = shape_1[_i];
        dims.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
    }
    var tensor = new ProtoWriter().int(1, TENSOR_FLOAT).message(2, dims); // TypeProto.Tensor: elem_type, shape
    var type = new ProtoWriter().message(1, tensor); // TypeProto: tensor_type
    return new ProtoWriter().string(1, name).message(2, type); // ValueInfoProto: name, type
}
function attribute(a) {
    var w = new ProtoWriter().string(1, a.name); // AttributeProto.name
    return 'float' in a ? w.float(2, a.float).int(20, ATTRIBUTE_FLOAT) : w.int(3, a.int).int(20, ATTRIBUTE_INT);
}
/** The serialized ModelProto of `y = opType(x)`, ready for `InferenceSession.create(bytes)`. */
function oneNodeModel(model) {
    var _a, _b;
    var node = new ProtoWriter()
        .string(1, exports.INPUT_NAME) // NodeProto.input
        .string(2, exports.OUTPUT_NAME) // NodeProto.output
        .string(3, model.opType.toLowerCase()) // NodeProto.name
        .string(4, model.opType); // NodeProto.op_type
    for (var _i = 0, _c = (_a = model.attributes) !== null && _a !== void 0 ? _a : []; _i < _c.length; _i++) {
        var a = _c[_i];
        node.message(5, attribute(a));
    } // NodeProto.attribute
    var graph = new ProtoWriter()
        .message(1, node) // GraphProto.node
        .string(2, "".concat(model.opType.toLowerCase(), "-graph")) // GraphProto.name
        .message(11, valueInfo(exports.INPUT_NAME, model.shape)) // GraphProto.input
        .message(12, valueInfo(exports.OUTPUT_NAME, model.shape)); // GraphProto.output
    var opset = new ProtoWriter().string(1, '').int(2, (_b = model.opset) !== null && _b !== void 0 ? _b : 13); // OperatorSetIdProto: domain, version
    return new ProtoWriter()
        .int(1, IR_VERSION) // ModelProto.ir_version
        .string(2, 'wasm-activations-bench') // ModelProto.producer_name
        .message(7, graph) // ModelProto.graph
        .message(8, opset) // ModelProto.opset_import
        .finish();
}
