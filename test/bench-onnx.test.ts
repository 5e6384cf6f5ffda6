// The one-node ONNX models the benchmark builds in memory (bench/peers/onnx-model.ts), decoded
// field by field with a small protobuf reader; and, where the peers are installed in
// bench/peers/node_modules, loaded and run by onnxruntime-node.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { oneNodeModel, ProtoWriter } from '../bench/peers/onnx-model.js';

type Field = { field: number; wire: number; value: bigint | Uint8Array | number };

/** Decodes one message level into its fields (varints as unsigned 64-bit BigInt). */
function decode(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = bytes[pos++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return result;
      shift += 7n;
    }
  };
  while (pos < bytes.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    if (wire === 0) fields.push({ field, wire, value: varint() });
    else if (wire === 2) {
      const length = Number(varint());
      fields.push({ field, wire, value: bytes.subarray(pos, pos + length) });
      pos += length;
    } else if (wire === 5) {
      fields.push({ field, wire, value: new DataView(bytes.buffer, bytes.byteOffset + pos, 4).getFloat32(0, true) });
      pos += 4;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  if (pos !== bytes.length) throw new Error('trailing bytes');
  return fields;
}

const get = (fields: Field[], n: number) => fields.filter((f) => f.field === n);
const one = (fields: Field[], n: number) => {
  const found = get(fields, n);
  expect(found, `field ${n}`).toHaveLength(1);
  return found[0].value;
};
const text = (v: Field['value']) => new TextDecoder().decode(v as Uint8Array);
const message = (v: Field['value']) => decode(v as Uint8Array);

/** The dims of a ValueInfoProto: numbers or symbolic names. */
function dims(valueInfo: Field[]): (number | string)[] {
  const tensor = message(one(message(one(valueInfo, 2)), 1));
  expect(one(tensor, 1)).toBe(1n); // elem_type FLOAT
  return get(message(one(tensor, 2)), 1).map((d) => {
    const dim = message(d.value);
    return get(dim, 1).length ? Number(one(dim, 1)) : text(one(dim, 2));
  });
}

describe('ProtoWriter', () => {
  it('writes varints, negative int64 as ten bytes, floats little-endian, and nested messages', () => {
    expect([...new ProtoWriter().int(1, 150).finish()]).toEqual([0x08, 0x96, 0x01]);
    const negative = new ProtoWriter().int(3, -1).finish();
    expect(negative).toHaveLength(11);
    expect(BigInt.asIntN(64, decode(negative)[0].value as bigint)).toBe(-1n);
    expect([...new ProtoWriter().float(2, 1).finish()]).toEqual([0x15, 0, 0, 0x80, 0x3f]);
    expect([...new ProtoWriter().message(1, new ProtoWriter().string(2, 'hi')).finish()]).toEqual([0x0a, 4, 0x12, 2, 0x68, 0x69]);
    expect(() => new ProtoWriter().int(1, 0.5)).toThrow(RangeError);
  });
});

describe('oneNodeModel', () => {
  it('encodes a ModelProto: IR version, opset 13, one node from x to y, float tensors of the shape', () => {
    const model = decode(oneNodeModel({ opType: 'Sigmoid', shape: [65536] }));
    expect(one(model, 1)).toBe(8n); // ir_version
    const opset = message(one(model, 8));
    expect(one(opset, 2)).toBe(13n);
    const graph = message(one(model, 7));
    const node = message(one(graph, 1));
    expect(text(one(node, 1))).toBe('x');
    expect(text(one(node, 2))).toBe('y');
    expect(text(one(node, 4))).toBe('Sigmoid');
    expect(get(node, 5)).toHaveLength(0);
    const input = message(one(graph, 11));
    const output = message(one(graph, 12));
    expect(text(one(input, 1))).toBe('x');
    expect(text(one(output, 1))).toBe('y');
    expect(dims(input)).toEqual([65536]);
    expect(dims(output)).toEqual([65536]);
  });

  it('encodes LeakyRelu\'s alpha as a FLOAT attribute and Softmax\'s axis -1 as an INT attribute', () => {
    const leaky = message(one(message(one(decode(oneNodeModel({ opType: 'LeakyRelu', attributes: [{ name: 'alpha', float: 0.01 }], shape: [4] })), 7)), 1));
    const alpha = message(one(leaky, 5));
    expect(text(one(alpha, 1))).toBe('alpha');
    expect(one(alpha, 2)).toBeCloseTo(0.01, 9);
    expect(one(alpha, 20)).toBe(1n);
    const softmax = decode(oneNodeModel({ opType: 'Softmax', attributes: [{ name: 'axis', int: -1 }], shape: [64, 1024] }));
    const graph = message(one(softmax, 7));
    const axis = message(one(message(one(graph, 1)), 5));
    expect(text(one(axis, 1))).toBe('axis');
    expect(BigInt.asIntN(64, one(axis, 3) as bigint)).toBe(-1n);
    expect(one(axis, 20)).toBe(2n);
    expect(dims(message(one(graph, 11)))).toEqual([64, 1024]);
    const symbolic = message(one(decode(oneNodeModel({ opType: 'Relu', shape: ['N'] })), 7));
    expect(dims(message(one(symbolic, 11)))).toEqual(['N']);
  });
});

// Only where `npm run bench -- --peers` has installed the peers (never in CI).
const peers = new URL('../bench/peers/', import.meta.url);
const installed = existsSync(new URL('node_modules/onnxruntime-node/package.json', peers));

describe.skipIf(!installed)('onnxruntime-node runs the models (peers installed)', () => {
  it('computes the five activations', async () => {
    const ort = createRequire(new URL('package.json', peers))('onnxruntime-node') as {
      Tensor: new (t: string, d: Float32Array, dims: number[]) => unknown;
      InferenceSession: { create(b: Uint8Array, o: object): Promise<{ run(f: object): Promise<Record<string, { data: Float32Array }>>; release(): Promise<void> }> };
    };
    const x = new Float32Array([-2, -0.5, 0, 0.5, 2, 3, -3, 1]);
    const cases: [string, object[], (v: number) => number][] = [
      ['Relu', [], (v) => Math.max(0, v)],
      ['LeakyRelu', [{ name: 'alpha', float: 0.01 }], (v) => (v > 0 ? v : 0.01 * v)],
      ['Sigmoid', [], (v) => 1 / (1 + Math.exp(-v))],
      ['Tanh', [], Math.tanh],
    ];
    for (const [opType, attributes, f] of cases) {
      const session = await ort.InferenceSession.create(oneNodeModel({ opType, attributes: attributes as never, shape: [8] }), { intraOpNumThreads: 1 });
      const y = (await session.run({ x: new ort.Tensor('float32', x, [8]) })).y.data;
      for (let i = 0; i < 8; i++) expect(y[i]).toBeCloseTo(f(x[i]), 5);
      await session.release();
    }
    const session = await ort.InferenceSession.create(oneNodeModel({ opType: 'Softmax', attributes: [{ name: 'axis', int: -1 }], shape: [2, 4] }), {});
    const y = (await session.run({ x: new ort.Tensor('float32', x, [2, 4]) })).y.data;
    expect(y[0] + y[1] + y[2] + y[3]).toBeCloseTo(1, 6);
    expect(y[4] + y[5] + y[6] + y[7]).toBeCloseTo(1, 6);
    await session.release();
  });
});

describe('models beyond one plain node', () => {
  it('encodes a STRING attribute, a constant input as an initializer, and a second node', () => {
    const gelu = message(one(message(one(decode(oneNodeModel({ opType: 'Gelu', attributes: [{ name: 'approximate', string: 'none' }], shape: [4], opset: 20 })), 7)), 1));
    const approximate = message(one(gelu, 5));
    expect(text(one(approximate, 1))).toBe('approximate');
    expect(text(one(approximate, 4))).toBe('none');
    expect(one(approximate, 20)).toBe(3n); // STRING

    const prelu = message(one(decode(oneNodeModel({ opType: 'PRelu', constants: [{ name: 'slope', dims: [1], values: [0.25] }], shape: [4] })), 7));
    expect(get(message(one(prelu, 1)), 1).map((f) => text(f.value))).toEqual(['x', 'slope']);
    const slope = message(one(prelu, 5));
    expect(get(slope, 1).map((f) => Number(f.value))).toEqual([1]); // dims
    expect(one(slope, 2)).toBe(1n); // FLOAT
    expect(text(one(slope, 8))).toBe('slope');
    const raw = one(slope, 9) as Uint8Array;
    expect(new DataView(raw.buffer, raw.byteOffset, 4).getFloat32(0, true)).toBe(0.25);

    const silu = message(one(decode(oneNodeModel({ opType: 'Sigmoid', shape: [4], then: [{ opType: 'Mul', inputs: ['x', 'inner'], output: 'y' }] })), 7));
    const [first, second] = get(silu, 1).map((f) => message(f.value));
    expect(text(one(first, 2))).toBe('inner');
    expect(text(one(second, 4))).toBe('Mul');
    expect(get(second, 1).map((f) => text(f.value))).toEqual(['x', 'inner']);
    expect(text(one(second, 2))).toBe('y');
  });
});

describe.skipIf(!installed)('onnxruntime-node runs the models beyond one plain node (peers installed)', () => {
  it('computes Gelu (opset 20), PRelu with its slope, Shrink as softshrink and silu as Sigmoid → Mul', async () => {
    const ort = createRequire(new URL('package.json', peers))('onnxruntime-node') as {
      Tensor: new (t: string, d: Float32Array, dims: number[]) => unknown;
      InferenceSession: { create(b: Uint8Array, o: object): Promise<{ run(f: object): Promise<Record<string, { data: Float32Array }>>; release(): Promise<void> }> };
    };
    const x = new Float32Array([-2, -0.5, 0, 0.5, 2, 3, -3, 1]);
    const erf = (v: number) => {
      // Abramowitz-Stegun 7.1.26 is too coarse; a series is exact enough for |v| <= 3.
      let sum = 0;
      let term = v;
      for (let n = 0; n < 60; n++) {
        sum += term / (2 * n + 1);
        term *= (-v * v) / (n + 1);
      }
      return (2 / Math.sqrt(Math.PI)) * sum;
    };
    const cases: [Parameters<typeof oneNodeModel>[0], (v: number) => number][] = [
      [{ opType: 'Gelu', attributes: [{ name: 'approximate', string: 'none' }], shape: [8], opset: 20 }, (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))],
      [{ opType: 'PRelu', constants: [{ name: 'slope', dims: [1], values: [0.25] }], shape: [8] }, (v) => (v >= 0 ? v : 0.25 * v)],
      [{ opType: 'Shrink', attributes: [{ name: 'bias', float: 0.5 }, { name: 'lambd', float: 0.5 }], shape: [8] }, (v) => (v > 0.5 ? v - 0.5 : v < -0.5 ? v + 0.5 : 0)],
      [{ opType: 'Sigmoid', shape: [8], then: [{ opType: 'Mul', inputs: ['x', 'inner'], output: 'y' }] }, (v) => v / (1 + Math.exp(-v))],
    ];
    for (const [model, f] of cases) {
      const session = await ort.InferenceSession.create(oneNodeModel(model), { intraOpNumThreads: 1 });
      const y = (await session.run({ x: new ort.Tensor('float32', x, [8]) })).y.data;
      for (let i = 0; i < 8; i++) expect(y[i], `${model.opType} at ${x[i]}`).toBeCloseTo(f(x[i]), 5);
      await session.release();
    }
  });
});
