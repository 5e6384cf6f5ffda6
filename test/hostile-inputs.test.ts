// Inputs that answer differently each time they are read (getters, a Proxy), operands of another
// instance handed to a module that runs its own loops, outputs that alias a weight, and modules
// whose forward() throws: every backend must fail cleanly (or run on what it checked) without
// writing outside the operands it was given, and without keeping stale state for backward().
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createActivations, createActivationsSync, GLU, initSync, PReLU, ReLU, RReLU, Softmax, Softmax2d, type Activations,
} from '../src/index.js';
import { BACKENDS } from './helpers/activations.js';

/** A shape whose entry 0 reads `first` once, then `later` on every read after. */
function shiftingShape(first: number, later: number, rest: readonly number[]): number[] {
  const shape = [first, ...rest];
  let reads = 0;
  Object.defineProperty(shape, 0, { get: () => (++reads === 1 ? first : later), enumerable: true });
  return shape;
}

describe.each(BACKENDS)('%s', (backend) => {
  let act: Activations;
  beforeAll(async () => {
    act = await createActivations({ backend });
  });

  it('runs softmax on the shape it checked, even when the shape changes between reads', () => {
    const x = act.allocate(4);
    const out = act.allocate(4);
    const victim = act.allocate(1024);
    x.array.set([1, 2, 3, 4]);
    victim.array.fill(42);
    const y = act.softmax(x, { shape: shiftingShape(2, 256, [2]), dim: 1, out });
    expect(y).toBe(out);
    expect(Array.from(out.array)).toEqual(Array.from(act.softmax(new Float32Array([1, 2, 3, 4]), { shape: [2, 2], dim: 1 })));
    expect(victim.array.every((v) => v === 42)).toBe(true);

    const dy = act.allocate(4);
    dy.array.set([1, -1, 0.5, 2]);
    act.softmaxBackward(dy, out, { shape: shiftingShape(2, 256, [2]), dim: 1, out: dy });
    expect(victim.array.every((v) => v === 42)).toBe(true);
    for (const buffer of [x, out, victim, dy]) buffer.free();
  });

  it('a Softmax module keeps the shape its forward ran with, even one whose entries are getters', () => {
    const module = new Softmax({ dim: 1, activations: act });
    const x = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const y = module.forward(x, { shape: shiftingShape(2, 1, [4]) });
    const dy = new Float32Array([1, -1, 0.5, 2, 0, 3, -2, 1]);
    const expected = act.softmaxBackward(dy, y, { shape: [2, 4], dim: 1 });
    expect(Array.from(module.backward(dy))).toEqual(Array.from(expected));
  });

  it('takes each param once per call: a getter cannot pass the check and then run, or poison later calls', () => {
    const fresh = createActivationsSync({ backend });
    let reads = 0;
    const tricky = { get alpha() { return ++reads === 1 ? 0.2 : Number.NaN; } };
    const y = fresh.leakyRelu([-1, 2], tricky);
    expect(Array.from(y)).toEqual([Math.fround(-0.2), 2]);
    expect(reads).toBe(1);
    expect(() => fresh.leakyRelu([-1, -2, 3], { alpha: Number.NaN })).toThrow(RangeError);
    expect(() => fresh.leakyRelu([-1, -2, 3], { alpha: Number.NaN })).toThrow(/\balpha\b/);
  });

  it('rejects out overlapping prelu\'s weight, forward and backward, writing nothing', () => {
    const memory = new Float32Array(20).fill(7);
    const weight = memory.subarray(0, 2);
    weight.set([0.5, 2]);
    const before = memory.slice();
    const x = new Float32Array(8).fill(-1);
    expect(() => act.prelu(x, { weight, shape: [4, 2], out: memory.subarray(0, 8) })).toThrow(new RangeError('out overlaps weight; pass a separate array'));
    expect(() => act.prelu(x, { weight, shape: [4, 2], out: memory.subarray(1, 9) })).toThrow(RangeError);
    expect(() => act.preluBackward(new Float32Array(8).fill(1), x, { weight, shape: [4, 2], out: memory.subarray(0, 8) })).toThrow(/out overlaps weight/);
    expect(Array.from(memory)).toEqual(Array.from(before));
    // Right next to the weight is fine.
    const y = act.prelu(x, { weight, shape: [4, 2], out: memory.subarray(2, 10) });
    expect(Array.from(y)).toEqual([-0.5, -2, -0.5, -2, -0.5, -2, -0.5, -2]);
  });

  describe('a module whose forward() throws keeps nothing for backward()', () => {
    const x = new Float32Array([-1, 2, -3, 4, 5, -6, 7, -8]);
    const dy = new Float32Array(8).fill(1);
    type Module = { forward(...a: unknown[]): unknown; backward(...a: unknown[]): unknown };
    const cases: Array<[string, (acts: Activations) => Module, unknown, unknown, typeof TypeError]> = [
      ['ReLU, an unknown option', (acts) => new ReLU({ activations: acts }), undefined, { foo: 1 }, TypeError],
      ['ReLU, options null', (acts) => new ReLU({ activations: acts }), undefined, null, TypeError],
      ['Softmax, an unknown option', (acts) => new Softmax({ dim: 1, activations: acts }), { shape: [2, 4] }, { shape: [2, 4], dim: 1 }, TypeError],
      ['Softmax2d, a shape of rank 1', (acts) => new Softmax2d({ activations: acts }), { shape: [2, 2, 2] }, { shape: [8] }, RangeError],
      ['Softmax2d, options null', (acts) => new Softmax2d({ activations: acts }), { shape: [2, 2, 2] }, null, TypeError],
      ['PReLU, an unknown option', (acts) => new PReLU({ activations: acts }), undefined, { weight: 1 }, TypeError],
      ['GLU, an unknown option', (acts) => new GLU({ activations: acts }), undefined, { foo: 1 }, TypeError],
      ['RReLU, an unknown option', (acts) => new RReLU({ activations: acts }), undefined, { foo: 1 }, TypeError],
    ];
    it.each(cases)('%s', (_label, make, good, bad, error) => {
      const module = make(act);
      module.forward(x, good);
      expect(() => module.forward(x, bad)).toThrow(error);
      const dyOf = module instanceof GLU ? dy.subarray(0, 4) : dy;
      expect(() => module.backward(dyOf)).toThrow(/needs a forward\(\) first/);
    });
  });

  it("RReLU's training mode refuses another instance's buffers, forward and backward, writing nothing", () => {
    const other = createActivationsSync({ backend });
    const foreignX = other.allocate(4);
    const foreignOut = other.allocate(4);
    foreignX.array.set([-1, 2, -3, 4]);
    foreignOut.array.fill(9);
    const module = new RReLU({ activations: act, random: () => 0.5 });
    expect(() => module.forward(foreignX)).toThrow(/x is a buffer of another Activations instance/);
    expect(() => module.forward([-1, 2, -3, 4], { out: foreignOut })).toThrow(/out is a buffer of another Activations instance/);
    expect(Array.from(foreignOut.array)).toEqual([9, 9, 9, 9]);
    module.forward([-1, 2, -3, 4]);
    const foreignDy = other.allocate(4);
    foreignDy.array.fill(1);
    expect(() => module.backward(foreignDy)).toThrow(/dy is a buffer of another Activations instance/);
    expect(() => module.backward([1, 1, 1, 1], { out: foreignOut })).toThrow(/out is a buffer of another Activations instance/);
    expect(Array.from(foreignOut.array)).toEqual([9, 9, 9, 9]);
    // The same buffers of its own instance work.
    const own = act.allocate(4);
    own.array.set([-1, 2, -3, 4]);
    expect(module.forward(own)).toBeInstanceOf(Float32Array);
    own.free();
  });

  it("a module refuses another instance's buffer before it allocates its saved copy, and a failed forward keeps no storage", () => {
    const other = createActivationsSync({ backend });
    const foreign = other.allocate(1 << 16);
    const fresh = createActivationsSync({ backend, maxMemoryBytes: 1 << 17 }); // less than the copy with its neighbours
    for (const module of [new ReLU({ activations: fresh }), new Softmax({ activations: fresh }), new GLU({ activations: fresh })]) {
      expect(() => module.forward(foreign)).toThrow(/x is a buffer of another Activations instance/);
      expect(fresh.memoryStats().usedBytes).toBe(0);
    }
    // A call that fails after the copy (here: out of the wrong length) releases it.
    const x = fresh.allocate(1024);
    const relu = new ReLU({ activations: fresh });
    expect(() => relu.forward(x, { out: new Float32Array(3) })).toThrow(RangeError);
    expect(fresh.memoryStats().usedBytes).toBe(1024 * 4);
    expect(() => relu.backward([1])).toThrow(/needs a forward\(\) first/);
    foreign.free();
    x.free();
  });

  it('a softmax-like module whose saved copy cannot be allocated throws before writing out (in place: x stays)', () => {
    const capped = createActivationsSync({ backend, maxMemoryBytes: 4 * 65536 });
    const n = 26000; // 104 KB per buffer: x and a neighbour fit, a third does not
    const x = capped.allocate(n);
    x.array.fill(3);
    const neighbour = capped.allocate(n);
    const softmax = new Softmax({ activations: capped });
    const softmax2d = new Softmax2d({ activations: capped });
    expect(() => softmax.forward(x, { out: x })).toThrow(RangeError);
    expect(() => softmax2d.forward(x, { shape: [n, 1, 1], out: x })).toThrow(RangeError);
    expect(x.array.every((v) => v === 3)).toBe(true);
    for (const module of [softmax, softmax2d]) {
      expect(() => module.backward(new Float32Array(n))).toThrow(/needs a forward\(\) first/);
    }
    neighbour.free();
    x.free();
  });

  it('a module\'s saved copy growing memory does not break an out (or x) given as a view of that memory', () => {
    const fresh = createActivationsSync({ backend });
    const n = 8192;
    const x = fresh.allocate(n);
    x.array.fill(-1);
    const out = fresh.allocate(n);
    const { reservedBytes, usedBytes } = fresh.memoryStats();
    const rest = Math.floor((reservedBytes - usedBytes) / 4) - 64;
    const filler = rest > 0 ? fresh.allocate(rest) : null; // memory now (about) full: the module's copy grows it
    const y = new ReLU({ activations: fresh }).forward(x, { out: out.array });
    expect(y.length).toBe(n);
    expect(out.array.every((v) => v === 0)).toBe(true);
    // And a softmax whose y (out) is a buffer, with x a view of the same memory.
    const probs = fresh.allocate(4);
    const logits = fresh.allocate(4);
    logits.array.set([1, 2, 3, 4]);
    const expected = fresh.softmax(logits);
    const p = new Softmax({ activations: fresh }).forward(logits.array, { out: probs });
    expect(p).toBe(probs);
    expect(Array.from(probs.array)).toEqual(Array.from(expected));
    for (const buffer of [x, out, filler, probs, logits]) buffer?.free();
  });
});

describe('a Float32Array of another realm', () => {
  it('is copied as x (a typed array), and refused as out with a message that says why', async () => {
    const { runInNewContext } = await import('node:vm');
    const foreign = runInNewContext('new Float32Array([-1, 0, 2])') as Float32Array;
    expect(foreign instanceof Float32Array).toBe(false);
    const acts = await createActivations({ backend: 'js' });
    expect(Array.from(acts.relu(foreign))).toEqual([0, 0, 2]);
    expect(() => acts.relu([1, 2, 3], { out: foreign })).toThrow(/out must be a Float32Array or an ActivationBuffer; got a Float32Array of another realm/);
  });
});

describe('Softmax2d', () => {
  it('reads its shape option once: the shape it checks is the shape it runs with', () => {
    let reads = 0;
    const options = { get shape() { return ++reads === 1 ? [2, 1, 2] : [1, 2, 2, 1, 1]; } };
    const y = new Softmax2d().forward(new Float32Array([1, 2, 3, 4]), options);
    expect(reads).toBe(1);
    expect(Array.from(y)).toEqual(Array.from(new Softmax2d().forward(new Float32Array([1, 2, 3, 4]), { shape: [2, 1, 2] })));
  });
});

describe('constructor and instance options', () => {
  it('PReLU: a numParameters of the wrong type is a TypeError, out of range a RangeError', () => {
    expect(() => new PReLU({ numParameters: '3' as never })).toThrow(new TypeError('numParameters must be a positive integer; got string 3'));
    expect(() => new PReLU({ numParameters: 1.5 })).toThrow(TypeError);
    expect(() => new PReLU({ numParameters: 0 })).toThrow(RangeError);
    expect(() => new PReLU({ numParameters: 2 ** 53 })).toThrow(RangeError);
  });

  it('an Array is not an options object, and an unknown option names no wrong function', async () => {
    expect(() => createActivationsSync([] as never)).toThrow(new TypeError('options must be an object; got an Array'));
    await expect(createActivations([] as never)).rejects.toThrow(TypeError);
    expect(() => initSync({ foo: 1 } as never)).toThrow(new TypeError("an instance has no option 'foo'; the options are 'backend', 'maxMemoryBytes'"));
  });

  it('takes threads: undefined as no threads, as any other option left undefined', async () => {
    const acts = await createActivations({ threads: undefined, backend: undefined });
    expect(acts.relu([-1, 1])).toBeInstanceOf(Float32Array);
    expect(createActivationsSync({ threads: undefined }).backend).toBe(acts.backend);
    expect(initSync({ threads: undefined })).toBe(acts.backend);
  });
});
