// The torch.nn-style modules on every backend: one class per registry entry named as PyTorch's;
// forward() equals the functional API and backward() equals <name>Backward bit for bit (and both
// meet the float64 references); the saved tensor is a copy (changing x or y afterwards, in-place
// forwards, second forwards, failed forwards); buffers stay zero-copy; the default instance is
// looked up at each call; constructor, forward and backward errors are the functional API's.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as api from '../src/index.js';
import {
  createActivations, definitions, ElementwiseModule, LeakyReLU, PReLU, ReLU, RReLU, Softmax, Tanh, Threshold, type ActivationBuffer,
  type ActivationName, type Activations, type Definition, type Float32Input, type ModuleClass,
} from '../src/index.js';
import * as moduleTable from '../src/modules/index.js';
import {
  BACKENDS, channelwiseReference, definitionsOf, elementwiseReference, firstDifference, fn, gatedReference, paramCases, reductionReference, requiredOptions,
} from './helpers/activations.js';
import { mixedInputs } from './helpers/inputs.js';
import { Rng } from './helpers/rng.js';
import { describeWorst, maxUlp } from './helpers/ulp.js';

/** A module, loosely typed (options checked at run time, as the tests want). */
interface LooseModule {
  forward(x: unknown, options?: unknown): Float32Array | ActivationBuffer;
  backward(dy: unknown, options?: unknown): Float32Array | ActivationBuffer;
  release(): void;
  readonly params: Record<string, number>;
  readonly activations: Activations;
  readonly activation: string;
  readonly dim?: number;
}
type LooseClass = (new (options?: unknown) => LooseModule) & { readonly activation: string };

const classes = (Object.entries(moduleTable) as [string, unknown][]).filter(
  (entry): entry is [string, LooseClass] => typeof entry[1] === 'function' && typeof (entry[1] as { activation?: unknown }).activation === 'string',
);

/** The class name and class of a registry entry's module. */
function classOf(name: string): [string, LooseClass] {
  const found = classes.filter(([, c]) => c.activation === name);
  if (found.length !== 1) throw new Error(`${found.length} module classes for ${name}`);
  return found[0];
}

function make(definition: Definition, options?: Record<string, unknown>): LooseModule {
  const [, cls] = classOf(definition.name);
  const module = new cls(options);
  // RReLU starts in training mode (random slopes, test/rrelu.test.ts); in eval mode it is the function's module.
  if (module instanceof RReLU) module.eval();
  return module;
}

type LooseBackward = (dy: unknown, saved: unknown, options?: unknown) => Float32Array;
type ChannelwiseBackward = (dy: unknown, x: unknown, options: unknown) => { dx: Float32Array; dweight: Float32Array };
function backwardOf(acts: Activations, name: string): LooseBackward {
  return (acts as unknown as Record<string, LooseBackward>)[`${name}Backward`];
}

/** The thrown value of `f`, or null. */
function thrown(f: () => unknown): { type: string; message: string } | null {
  try {
    f();
    return null;
  } catch (error) {
    return { type: (error as Error).constructor.name, message: (error as Error).message };
  }
}

const SHAPE = [6, 5, 4];
const DIMS = [0, 1, 2, -1, -3];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the module table', () => {
  it('has exactly one class per registry entry, named as PyTorch\'s class (torch.nn.functional.leaky_relu → LeakyReLU)', () => {
    for (const definition of definitionsOf()) {
      const [exported, cls] = classOf(definition.name);
      const torchName = definition.torch.split(/\s/)[0].split('.').pop() as string;
      expect(exported.toLowerCase(), definition.name).toBe(torchName.replaceAll('_', '').toLowerCase());
      expect(cls.name).toBe(exported);
      // PReLU's options are its module's (numParameters, init), not the function's weight.
      const module = new cls(definition.kind === 'channelwise' ? {} : { ...requiredOptions(definition) });
      expect(String(module).startsWith(`${exported}(`)).toBe(true);
      expect(module.activation).toBe(definition.name);
    }
    expect(classes.length).toBe(definitionsOf().length);
  });

  it('is exported from the package entry, with the fixed names of the existing fourteen', () => {
    const expected = {
      relu: 'ReLU', leakyRelu: 'LeakyReLU', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax', hardtanh: 'Hardtanh',
      relu6: 'ReLU6', hardsigmoid: 'Hardsigmoid', hardswish: 'Hardswish', softsign: 'Softsign', softshrink: 'Softshrink',
      hardshrink: 'Hardshrink', threshold: 'Threshold', prelu: 'PReLU',
    };
    for (const [name, className] of Object.entries(expected)) {
      expect(classOf(name)[0]).toBe(className);
      expect((api as Record<string, unknown>)[className]).toBe(classOf(name)[1]);
    }
  });

  it('shows params in PyTorch\'s repr style', () => {
    expect(String(new LeakyReLU({ alpha: 0.2 }))).toBe('LeakyReLU(alpha=0.2)');
    expect(String(new ReLU())).toBe('ReLU()');
    expect(String(new Softmax({ dim: 1 }))).toBe('Softmax(dim=1)');
    expect(new Softmax().dim).toBe(-1);
    expect(new Threshold({ threshold: 0.5, value: -9 }).params).toEqual({ threshold: 0.5, value: -9 });
    expect(new LeakyReLU().params).toEqual({ alpha: 0.01 });
    expect(Object.isFrozen(new LeakyReLU().params)).toBe(true);
  });
});

describe.each(BACKENDS)('modules on %s', (backend) => {
  let acts: Activations;
  beforeAll(async () => {
    acts = await createActivations({ backend });
  });

  describe.each(definitionsOf())('$name', (definition) => {
    it('forward() equals the function and backward() equals its Backward, bit for bit, for every param case', () => {
      const rng = new Rng(0x30d + definition.name.length);
      const f = fn(acts, definition);
      const b = backwardOf(acts, definition.name);
      if (definition.kind === 'elementwise') {
        for (const c of paramCases(definition)) {
          const x = mixedInputs(rng, 1037, -8, 8);
          const dy = rng.float32Array(x.length, -2, 2);
          const module = make(definition, { ...c.options, activations: acts });
          expect(module.params).toEqual(c.params);
          const y = module.forward(x) as Float32Array;
          expect(firstDifference(y, f(x, c.options)), c.label).toBe(-1);
          const worst = maxUlp(y, elementwiseReference(definition, x, c.params), x);
          expect(worst.ulp, `${c.label}: ${describeWorst(worst)}`).toBeLessThanOrEqual(definition.ulp);
          const dx = module.backward(dy) as Float32Array;
          expect(firstDifference(dx, b(dy, x, c.options)), c.label).toBe(-1);
          const exact = Float64Array.from(x, (v, i) => dy[i] * definition.derivative(v, c.params));
          const worstBackward = maxUlp(dx, exact, x);
          expect(worstBackward.ulp, `${c.label}: ${describeWorst(worstBackward)}`).toBeLessThanOrEqual(definition.backward.ulp);
        }
        return;
      }
      if (definition.kind === 'channelwise') {
        // The module's default single weight, then one weight per channel of [N, C] and [N, C, H, W].
        for (const [shape, count] of [[[1037], 1], [[37, 5], 5], [[3, 4, 5, 7], 4], [[3, 4, 5, 7], 1]] as [number[], number][]) {
          const label = `shape [${shape.join(', ')}], ${count} weights`;
          const n = shape.reduce((p, q) => p * q, 1);
          const x = mixedInputs(rng, n, -8, 8);
          const dy = rng.float32Array(n, -2, 2);
          const module = make(definition, { numParameters: count, activations: acts }) as LooseModule & { weight: Float32Array; weightGrad: Float32Array | null };
          expect(Array.from(module.weight), label).toEqual(new Array(count).fill(definition.exampleWeight));
          if (count > 1) module.weight.set(rng.float32Array(count, -1, 1));
          const weight = module.weight.slice();
          const y = module.forward(x, { shape }) as Float32Array;
          expect(firstDifference(y, f(x, { weight, shape })), label).toBe(-1);
          const worst = maxUlp(y, channelwiseReference(definition, x, weight, shape), x);
          expect(worst.ulp, `${label}: ${describeWorst(worst)}`).toBeLessThanOrEqual(definition.ulp);
          expect(module.weightGrad, label).toBeNull();
          const dx = module.backward(dy) as Float32Array;
          const expected = (b as unknown as ChannelwiseBackward)(dy, x, { weight, shape });
          expect(firstDifference(dx, expected.dx), label).toBe(-1);
          expect(firstDifference(module.weightGrad as Float32Array, expected.dweight), label).toBe(-1);
          // Against float64: dx = dy · f'(x, w[c]); the weight's gradient sums its elements' terms.
          const channel = (i: number): number => (count === 1 ? 0 : Math.floor(i / (n / shape[0] / count)) % count);
          const exactDx = Float64Array.from(x, (v, i) => dy[i] * definition.derivative(v, weight[channel(i)]));
          const worstBackward = maxUlp(dx, exactDx, x);
          expect(worstBackward.ulp, `${label}: ${describeWorst(worstBackward)}`).toBeLessThanOrEqual(definition.backward.ulp);
          const sums = new Float64Array(count);
          for (let i = 0; i < n; i++) sums[channel(i)] += definition.backward.weightTerm(dy[i], x[i], weight[channel(i)]);
          for (let c = 0; c < count; c++) expect(Math.abs((module.weightGrad as Float32Array)[c] - sums[c]), `${label}, c = ${c}`).toBeLessThanOrEqual(2 ** -22 * Math.abs(sums[c]));
        }
        return;
      }
      if (definition.kind === 'gated') {
        // Along each even dim of [6, 5, 4] (the odd one is test/glu.test.ts's RangeError).
        const n = SHAPE.reduce((p, q) => p * q, 1);
        for (const dim of [0, 2, -1, -3]) {
          const x = rng.float32Array(n, -6, 6);
          const dy = rng.float32Array(n / 2, -2, 2);
          const module = make(definition, { dim, activations: acts }) as LooseModule & { dim: number };
          expect(module.dim).toBe(dim);
          const y = module.forward(x, { shape: SHAPE }) as Float32Array;
          expect(firstDifference(y, f(x, { shape: SHAPE, dim })), `dim ${dim}`).toBe(-1);
          const worst = maxUlp(y, gatedReference(definition, x, SHAPE, dim), x.subarray(0, n / 2));
          expect(worst.ulp, `dim ${dim}: ${describeWorst(worst)}`).toBeLessThanOrEqual(definition.ulp);
          const dx = module.backward(dy) as Float32Array;
          expect(firstDifference(dx, b(dy, x, { shape: SHAPE, dim })), `dim ${dim}`).toBe(-1);
        }
        return;
      }
      const n = SHAPE.reduce((p, q) => p * q, 1);
      for (const dim of DIMS) {
        const x = rng.float32Array(n, -6, 6);
        const dy = rng.float32Array(n, -2, 2);
        const module = make(definition, { dim, activations: acts });
        expect(module.dim).toBe(dim);
        const y = module.forward(x, { shape: SHAPE }) as Float32Array;
        expect(firstDifference(y, f(x, { shape: SHAPE, dim })), `dim ${dim}`).toBe(-1);
        const worst = maxUlp(y, reductionReference(definition, x, SHAPE, dim), x);
        expect(worst.ulp, `dim ${dim}: ${describeWorst(worst)}`).toBeLessThanOrEqual(definition.ulp);
        const dx = module.backward(dy) as Float32Array;
        expect(firstDifference(dx, b(dy, y, { shape: SHAPE, dim })), `dim ${dim}`).toBe(-1);
        // dx · v = dy · (J v): the backward against central differences of the forward reference.
        const v = rng.float32Array(n, -1, 1);
        const h = 1e-3;
        const plus = reductionReference(definition, Float64Array.from(x, (t, i) => t + h * v[i]), SHAPE, dim);
        const minus = reductionReference(definition, Float64Array.from(x, (t, i) => t - h * v[i]), SHAPE, dim);
        let directional = 0;
        let projected = 0;
        for (let i = 0; i < n; i++) {
          directional += dy[i] * (plus[i] - minus[i]) / (2 * h);
          projected += dx[i] * v[i];
        }
        expect(projected).toBeCloseTo(directional, 3);
      }
    });
  });

  it('keeps a copy of x: changing x after forward(), or forward({ out: x }) in place, leaves the gradient alone', () => {
    const rng = new Rng(11);
    const x = rng.float32Array(300, -4, 4);
    const original = x.slice();
    const dy = rng.float32Array(300, -1, 1);
    const expected = acts.tanhBackward(dy, original);
    const tanh = new Tanh({ activations: acts });
    tanh.forward(x);
    x.fill(100);
    expect(firstDifference(tanh.backward(dy), expected)).toBe(-1);
    x.set(original);
    const y = tanh.forward(x, { out: x });
    expect(y).toBe(x);
    expect(firstDifference(x, acts.tanh(original))).toBe(-1);
    expect(firstDifference(tanh.backward(dy), expected)).toBe(-1);
    // backward() may run again for the same forward, and in place into dy.
    const dyCopy = dy.slice();
    expect(tanh.backward(dyCopy, { out: dyCopy })).toBe(dyCopy);
    expect(firstDifference(dyCopy, expected)).toBe(-1);
  });

  it('keeps a copy of y for softmax: changing the returned y (or forward in place) leaves the gradient alone', () => {
    const rng = new Rng(12);
    const shape = [8, 10];
    const x = rng.float32Array(80, -5, 5);
    const dy = rng.float32Array(80, -1, 1);
    const softmax = new Softmax({ dim: 1, activations: acts });
    const y = softmax.forward(x, { shape });
    const yOriginal = y.slice();
    const expected = acts.softmaxBackward(dy, yOriginal, { shape, dim: 1 });
    y.fill(0.5);
    expect(firstDifference(softmax.backward(dy), expected)).toBe(-1);
    const shapeArg = [8, 10];
    softmax.forward(x, { shape: shapeArg, out: x });
    shapeArg[0] = 80; // the module copied the shape
    shapeArg[1] = 1;
    expect(firstDifference(x, yOriginal)).toBe(-1);
    x.fill(0);
    expect(firstDifference(softmax.backward(dy), expected)).toBe(-1);
  });

  it('a second forward() replaces the saved tensor, at any length; a forward() that throws leaves none', () => {
    const rng = new Rng(13);
    const relu = new LeakyReLU({ alpha: 0.1, activations: acts });
    for (const n of [50, 3, 200, 200, 17]) {
      const x = rng.float32Array(n, -2, 2);
      const dy = rng.float32Array(n, -1, 1);
      relu.forward(x);
      expect(firstDifference(relu.backward(dy), acts.leakyReluBackward(dy, x, { alpha: 0.1 })), `n = ${n}`).toBe(-1);
    }
    expect(() => relu.backward(new Float32Array(50))).toThrow(new RangeError('dy and x must have the same length; got dy of length 50 and x of length 17'));
    expect(() => relu.forward(new Float32Array(4), { out: new Float32Array(5) })).toThrow(RangeError);
    expect(() => relu.backward(new Float32Array(4))).toThrow(/LeakyReLU\.backward\(\) needs a forward\(\) first/);
    relu.forward([1, -1]);
    expect(Array.from(relu.backward([1, 1]))).toEqual([1, Math.fround(0.1)]);
    expect(() => relu.forward('abc' as never)).toThrow(TypeError);
    expect(() => relu.backward([1, 1])).toThrow(/needs a forward\(\) first/);
    const softmax = new Softmax({ activations: acts });
    softmax.forward([1, 2, 3]);
    expect(() => softmax.forward([1, 2, 3], { shape: [2, 2] })).toThrow(new RangeError('shape [2, 2] holds 4 elements but x has 3'));
    expect(() => softmax.backward([1, 2, 3])).toThrow(/Softmax\.backward\(\) needs a forward\(\) first: there is no saved y/);
  });

  it('stays zero-copy on buffers: the saved x is a buffer of the instance, and no scratch region is reserved', async () => {
    const fresh = await createActivations({ backend });
    const n = 1000;
    const rng = new Rng(14);
    const values = rng.float32Array(n, -3, 3);
    const gradient = rng.float32Array(n, -1, 1);
    const x = fresh.allocate(n);
    const dy = fresh.allocate(n);
    x.array.set(values);
    dy.array.set(gradient);
    const tanh = new Tanh({ activations: fresh });
    expect(tanh.forward(x, { out: x })).toBe(x);
    x.array.fill(7); // the saved copy is the module's
    expect(tanh.backward(dy, { out: dy })).toBe(dy);
    const bytes = n * 4; // a multiple of the 16-byte alignment
    expect(fresh.memoryStats().usedBytes).toBe(3 * bytes); // x, dy and the saved copy: no scratch
    expect(firstDifference(dy.array, acts.tanhBackward(gradient, values))).toBe(-1);
    // Softmax: out a buffer, so the saved y is one too.
    const probabilities = fresh.allocate(n);
    const softmax = new Softmax({ dim: 0, activations: fresh });
    x.array.set(values);
    softmax.forward(x, { out: probabilities, shape: [n / 10, 10] });
    dy.array.set(gradient);
    softmax.backward(dy, { out: dy });
    expect(fresh.memoryStats().usedBytes).toBe(5 * bytes);
    const y = acts.softmax(values, { shape: [n / 10, 10], dim: 0 });
    expect(firstDifference(probabilities.array, y)).toBe(-1);
    expect(firstDifference(dy.array, acts.softmaxBackward(gradient, y, { shape: [n / 10, 10], dim: 0 }))).toBe(-1);
    // release() gives the saved buffers back; an array forward frees a buffer kept before.
    softmax.release();
    expect(fresh.memoryStats().usedBytes).toBe(4 * bytes);
    expect(() => softmax.backward(dy)).toThrow(/needs a forward\(\) first/);
    const dispose = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('Symbol.dispose');
    (tanh as unknown as Record<symbol, () => void>)[dispose]();
    expect(fresh.memoryStats().usedBytes).toBe(3 * bytes);
    // An array forward keeps an array (the copying call reserves its scratch region) and gives
    // back a buffer kept before.
    tanh.forward(x);
    tanh.forward(values);
    const used = fresh.memoryStats().usedBytes;
    tanh.forward(x);
    expect(fresh.memoryStats().usedBytes).toBe(used + bytes);
    tanh.forward(values);
    expect(fresh.memoryStats().usedBytes).toBe(used);
    expect(firstDifference(tanh.backward(gradient), acts.tanhBackward(gradient, values))).toBe(-1);
    for (const buffer of [x, dy, probabilities]) buffer.free();
    expect(() => tanh.forward(x)).toThrow(new Error('cannot use x after free: this ActivationBuffer was freed'));
  });

  it('checks options, x and dy as the functional API does', () => {
    const relu = new ReLU({ activations: acts });
    expect(() => relu.forward([1], { alpha: 1 } as never)).toThrow(new TypeError("ReLU.forward() has no option 'alpha'; its options are 'out'"));
    expect(() => relu.forward([1], { shape: [1] } as never)).toThrow(TypeError);
    expect(() => new Softmax({ activations: acts }).forward([1], { dim: 0 } as never)).toThrow(
      new TypeError("Softmax.forward() has no option 'dim'; its options are 'out', 'shape'"),
    );
    expect(() => relu.forward([1], 5 as never)).toThrow(new TypeError('options of ReLU.forward() must be an object; got number 5'));
    expect(thrown(() => relu.forward(['a'] as never))).toEqual(thrown(() => acts.relu(['a'] as never)));
    expect(thrown(() => relu.forward({} as never))).toEqual(thrown(() => acts.relu({} as never)));
    relu.forward([1, 2]);
    expect(() => relu.backward([1, 2], { shape: [2] } as never)).toThrow(new TypeError("ReLU.backward() has no option 'shape'; its options are 'out'"));
    expect(thrown(() => relu.backward(['a', 1] as never))).toEqual(thrown(() => acts.reluBackward(['a', 1] as never, [1, 2])));
    expect(() => relu.backward([1, 2], { out: new Float32Array(3) })).toThrow(RangeError);
    expect(() => new Softmax({ dim: 1, activations: acts }).forward([1, 2, 3])).toThrow(
      new RangeError('dim must be in [-1, 0] for a shape of rank 1; got 1'),
    );
  });
});

describe('constructors', () => {
  const BAD_VALUES: readonly unknown[] = [NaN, Infinity, -Infinity, 1e39, 1e-40, -1, 0.2, '1', null, true];

  it.each(definitionsOf())('$name: checks each param with the function\'s own errors', (definition) => {
    const x = new Float32Array(4);
    for (const param of Object.keys(definition.params)) {
      for (const bad of BAD_VALUES) {
        const options = { ...requiredOptions(definition), [param]: bad };
        const fromFunction = thrown(() => fn(api as unknown as Activations, definition)(x, options));
        const fromModule = thrown(() => make(definition, options));
        expect(fromModule, `${param} = ${String(bad)}`).toEqual(fromFunction);
      }
    }
    if (definition.kind === 'channelwise') {
      // The function requires its weight; the module owns one (PyTorch's default 0.25).
      expect(thrown(() => make(definition, {}))).toBeNull();
      return;
    }
    expect(thrown(() => make(definition, {}))).toEqual(thrown(() => (api as unknown as Record<string, (x: unknown) => unknown>)[definition.name](x)));
  });

  it('rejects unknown options, a non-object, options of the other kind and a bad instance', () => {
    expect(() => new ReLU({ alpha: 1 } as never)).toThrow(new TypeError("new ReLU() has no option 'alpha'; its options are 'activations', 'inplace'"));
    expect(() => new LeakyReLU({ out: new Float32Array(1) } as never)).toThrow(
      new TypeError("new LeakyReLU() has no option 'out'; its options are 'alpha', 'activations', 'inplace'"),
    );
    expect(() => new Tanh({ inplace: true } as never)).toThrow(new TypeError("new Tanh() has no option 'inplace'; its options are 'activations'"));
    expect(() => new ReLU({ dim: 1 } as never)).toThrow(TypeError);
    expect(() => new Softmax({ shape: [2] } as never)).toThrow(new TypeError("new Softmax() has no option 'shape'; its options are 'activations', 'dim'"));
    expect(() => new ReLU(3 as never)).toThrow(new TypeError('options of new ReLU() must be an object; got number 3'));
    expect(() => new ReLU(null as never)).toThrow(TypeError);
    expect(() => new (Threshold as new (options?: object) => unknown)()).toThrow(new TypeError('threshold is required (it has no default); got none'));
    expect(() => new Threshold({ threshold: 1 } as never)).toThrow(new TypeError('value is required (it has no default); got none'));
    expect(() => new api.Hardtanh({ minVal: 2, maxVal: 1 })).toThrow(RangeError);
    expect(() => new Softmax({ dim: 1.5 })).toThrow(new TypeError('dim must be an integer; got number 1.5'));
    expect(() => new Softmax({ dim: '1' } as never)).toThrow(new TypeError('dim must be an integer; got string 1'));
    for (const bad of [{}, null, 5, { relu: () => 0 }]) {
      expect(() => new ReLU({ activations: bad as never })).toThrow(/^activations must be an Activations instance/);
    }
  });
});

// PyTorch's inplace=True, on the 13 classes whose torch.nn module takes it (nn.Tanh, nn.GELU … do
// not): forward(x) writes into x, and backward() still differentiates the x it was given.
describe('inplace', () => {
  const INPLACE = ['ReLU', 'ReLU6', 'LeakyReLU', 'ELU', 'SELU', 'CELU', 'RReLU', 'Hardtanh', 'Hardsigmoid', 'Hardswish', 'SiLU', 'Mish', 'Threshold'];

  it('is an option of exactly the classes whose torch.nn module has it', () => {
    for (const definition of definitionsOf()) {
      if (definition.kind === 'channelwise' || definition.kind === 'gated') continue;
      const options = { ...requiredOptions(definition), inplace: true };
      const error = thrown(() => make(definition, options));
      const [name] = classOf(definition.name);
      if (INPLACE.includes(name)) expect(error, name).toBeNull();
      else expect(error, name).toEqual({ type: 'TypeError', message: `new ${name}() has no option 'inplace'; its options are ${[...Object.keys(definition.params), 'activations', ...(definition.kind === 'reduction' ? ['dim'] : [])].map((k) => `'${k}'`).join(', ')}` });
    }
    expect(INPLACE.every((name) => name in moduleTable)).toBe(true);
  });

  it.each(BACKENDS)('%s: writes into x (an array or a buffer), returns it, and backward() uses the x it was given', async (backend) => {
    const act = await createActivations({ backend });
    const values = [-2, -0.5, 0, 0.5, 2, -3, 3, 1, -1, 0.25];
    const relu = new ReLU({ inplace: true, activations: act });
    const x = Float32Array.from(values);
    expect(relu.forward(x)).toBe(x);
    expect(Array.from(x)).toEqual(values.map((v) => Math.max(0, v)));
    expect(Array.from(relu.backward(new Float32Array(10).fill(1)))).toEqual(values.map((v) => (v > 0 ? 1 : 0)));
    const buffer = act.allocate(10);
    buffer.array.set(values);
    const leaky = new LeakyReLU({ alpha: 0.5, inplace: true, activations: act });
    expect(leaky.forward(buffer)).toBe(buffer);
    expect(Array.from(buffer.array)).toEqual(values.map((v) => (v > 0 ? v : 0.5 * v)));
    expect(Array.from(leaky.backward(new Float32Array(10).fill(1)))).toEqual(values.map((v) => (v > 0 ? 1 : 0.5)));
    // An out given to forward() wins; RReLU's training mode writes in place too.
    const y = new Float32Array(10);
    const z = Float32Array.from(values);
    expect(relu.forward(z, { out: y })).toBe(y);
    expect(Array.from(z)).toEqual(values);
    const rrelu = new RReLU({ inplace: true, activations: act, random: () => 0.5 });
    const w = Float32Array.from(values);
    expect(rrelu.forward(w)).toBe(w);
    expect(Array.from(w)).toEqual(values.map((v) => (v > 0 ? v : Math.fround(v * Math.fround(1 / 8 + (1 / 3 - 1 / 8) * 0.5)))));
    buffer.free();
  });

  it('needs an x it can write (a Float32Array or a buffer) and a boolean; shows in the repr as PyTorch\'s', () => {
    expect(() => new ReLU({ inplace: true }).forward([-1, 1])).toThrow(
      new TypeError('ReLU with inplace: x must be a Float32Array or an ActivationBuffer to be written in place; got an Array'),
    );
    expect(() => new ReLU({ inplace: true }).forward(Float64Array.of(-1, 1))).toThrow(TypeError);
    expect(() => new ReLU({ inplace: 1 } as never)).toThrow(new TypeError('inplace must be a boolean; got number 1'));
    expect(new ReLU({ inplace: false }).inplace).toBe(false);
    expect(String(new ReLU({ inplace: true }))).toBe('ReLU(inplace=True)');
    expect(String(new LeakyReLU({ alpha: 0.2, inplace: true }))).toBe('LeakyReLU(alpha=0.2, inplace=True)');
    expect(String(new ReLU())).toBe('ReLU()');
  });
});

describe('a module with state of its own (as PReLU\'s weight)', () => {
  /** gain · leakyRelu(x): an extra constructor option and both passes overridden. */
  class ScaledLeakyReLU extends ElementwiseModule<'leakyRelu'> {
    readonly gain: number;
    constructor(options: { alpha?: number; gain?: number; activations?: Activations } = {}) {
      super('leakyRelu', options, 'ScaledLeakyReLU', ['gain']);
      this.gain = options.gain ?? 1;
    }
    protected override runForward(acts: Activations, x: Float32Input | ActivationBuffer, options: object | undefined) {
      const y = super.runForward(acts, x, options) as Float32Array;
      return y.map((v) => v * this.gain);
    }
    protected override runBackward(acts: Activations, dy: Float32Input | ActivationBuffer, saved: Float32Array | ActivationBuffer, options: object | undefined) {
      const dx = super.runBackward(acts, dy, saved, options) as Float32Array;
      return dx.map((v) => v * this.gain);
    }
  }

  it('extends ElementwiseModule: its extra options pass the constructor\'s check, its passes run through the hooks', async () => {
    const acts = await createActivations({ backend: 'js' });
    const module = new ScaledLeakyReLU({ alpha: 0.5, gain: 4, activations: acts });
    expect(module.params).toEqual({ alpha: 0.5 });
    expect(String(module)).toBe('ScaledLeakyReLU(alpha=0.5)');
    expect(Array.from(module.forward([-2, 3]))).toEqual([-4, 12]);
    expect(Array.from(module.backward([1, 1]))).toEqual([2, 4]);
    expect(() => new ScaledLeakyReLU({ beta: 1 } as never)).toThrow(
      new TypeError("new ScaledLeakyReLU() has no option 'beta'; its options are 'alpha', 'activations', 'gain'"),
    );
  });
});

describe.each(BACKENDS)('PReLU on %s', (backend) => {
  let acts: Activations;
  beforeAll(async () => {
    acts = await createActivations({ backend });
  });

  it('accumulates the weight gradient over backward() calls until zeroGrad(), with the forward\'s weight', () => {
    const rng = new Rng(21);
    const shape = [6, 3, 5];
    const x = rng.float32Array(90, -3, 3);
    const dy = rng.float32Array(90, -1, 1);
    const dy2 = rng.float32Array(90, -1, 1);
    const act = new PReLU({ numParameters: 3, init: -0.5, activations: acts });
    const weight = Float32Array.of(0.1, -0.2, 0.3);
    act.weight = weight;
    expect(act.weight).toEqual(weight);
    expect(act.weight).not.toBe(weight); // copied into the module's own array
    act.forward(x, { shape });
    act.weight.fill(9); // an optimizer step before backward(): the forward's weight is differentiated
    const first = acts.preluBackward(dy, x, { weight, shape });
    const second = acts.preluBackward(dy2, x, { weight, shape });
    expect(firstDifference(act.backward(dy), first.dx)).toBe(-1);
    const grad = act.weightGrad as Float32Array;
    expect(firstDifference(grad, first.dweight)).toBe(-1);
    expect(firstDifference(act.backward(dy2), second.dx)).toBe(-1);
    expect(act.weightGrad).toBe(grad); // accumulated in place, float32 additions as PyTorch's .grad +=
    expect(Array.from(grad)).toEqual(Array.from(first.dweight, (g, c) => Math.fround(g + second.dweight[c])));
    act.zeroGrad();
    expect(act.weightGrad).toBeNull();
    // A backward that throws adds nothing.
    expect(() => act.backward(new Float32Array(4))).toThrow(RangeError);
    expect(act.weightGrad).toBeNull();
    // The next forward uses the updated weight.
    const y = act.forward(x, { shape });
    expect(firstDifference(y, acts.prelu(x, { weight: 9, shape }))).toBe(-1);
  });

  it('runs in place and on buffers, and keeps copies of x and the shape', () => {
    const rng = new Rng(22);
    const values = rng.float32Array(40, -2, 2);
    const gradient = rng.float32Array(40, -1, 1);
    const expectedY = acts.prelu(values, { weight: [0.5, 0.25], shape: [10, 2, 2] });
    const expected = acts.preluBackward(gradient, values, { weight: [0.5, 0.25], shape: [10, 2, 2] });
    const act = new PReLU({ numParameters: 2, activations: acts });
    act.weight = [0.5, 0.25];
    const x = values.slice();
    const shape = [10, 2, 2];
    expect(act.forward(x, { shape, out: x })).toBe(x);
    shape[1] = 4; // the module copied it
    shape[2] = 1;
    expect(firstDifference(x, expectedY)).toBe(-1);
    const dy = gradient.slice();
    expect(act.backward(dy, { out: dy })).toBe(dy);
    expect(firstDifference(dy, expected.dx)).toBe(-1);
    expect(firstDifference(act.weightGrad as Float32Array, expected.dweight)).toBe(-1);
    const xb = acts.allocate(40);
    const dyb = acts.allocate(40);
    xb.array.set(values);
    dyb.array.set(gradient);
    act.zeroGrad();
    expect(act.forward(xb, { shape: [10, 2, 2], out: xb })).toBe(xb);
    expect(firstDifference(xb.array, expectedY)).toBe(-1);
    expect(act.backward(dyb, { out: dyb })).toBe(dyb);
    expect(firstDifference(dyb.array, expected.dx)).toBe(-1);
    expect(firstDifference(act.weightGrad as Float32Array, expected.dweight)).toBe(-1);
    act.release();
    xb.free();
    dyb.free();
  });
});

describe('PReLU', () => {
  it('defaults to one weight of 0.25 (torch.nn.PReLU), shows numParameters, and checks its options and weights', () => {
    const act = new PReLU();
    expect(act.numParameters).toBe(1);
    expect(Array.from(act.weight)).toEqual([0.25]);
    expect(String(act)).toBe('PReLU(numParameters=1)');
    expect(String(new PReLU({ numParameters: 3, init: 0.1 }))).toBe('PReLU(numParameters=3)');
    expect(Array.from(new PReLU({ numParameters: 2, init: 0.1 }).weight)).toEqual([Math.fround(0.1), Math.fround(0.1)]);
    expect(() => new PReLU({ weight: 1 } as never)).toThrow(
      new TypeError("new PReLU() has no option 'weight'; its options are 'activations', 'numParameters', 'init'"),
    );
    for (const bad of [0, -1, 1.5, NaN, '2']) {
      expect(() => new PReLU({ numParameters: bad as never })).toThrow(/^numParameters must be a positive integer; got /);
    }
    expect(() => new PReLU({ init: '1' as never })).toThrow(new TypeError('init must be a number; got string 1'));
    expect(() => new PReLU({ init: 1e39 })).toThrow(RangeError);
    expect(() => new PReLU({ init: NaN })).toThrow(RangeError);
    const three = new PReLU({ numParameters: 3 });
    expect(() => { three.weight = [1, 2]; }).toThrow(new RangeError('PReLU.weight must hold numParameters (3) weights; got 2'));
    expect(() => { three.weight = [1, NaN, 2]; }).toThrow(RangeError);
    three.weight = 0.5;
    expect(Array.from(three.weight)).toEqual([0.5, 0.5, 0.5]);
    // Forward errors are prelu()'s; the channel count must match numParameters.
    expect(() => three.forward([1, 2, 3, 4], { shape: [2, 2] })).toThrow(
      new RangeError('weight must hold 1 weight or one per channel (2, dim 1 of shape); got 3 weights'),
    );
    expect(() => three.forward([1, 2, 3], { dim: 1 } as never)).toThrow(new TypeError("PReLU.forward() has no option 'dim'; its options are 'out', 'shape'"));
    expect(() => three.backward([1])).toThrow(/PReLU\.backward\(\) needs a forward\(\) first/);
  });
});

describe('the default instance', () => {
  it('is looked up at each forward() (init() switches it), and backward() runs where its forward() ran', async () => {
    vi.resetModules();
    const fresh = (await import('../src/index.js')) as typeof api;
    const tanh = new fresh.Tanh();
    const relu = new fresh.ReLU();
    expect(fresh.backend()).toBeNull(); // constructing initialises nothing
    fresh.initSync({ backend: 'js' });
    expect(tanh.activations.backend).toBe('js');
    const values = new Float32Array([-2, -0.5, 0.5, 3]);
    const x = fresh.allocate(4);
    x.array.set(values);
    relu.forward(x);
    expect(Array.from(tanh.forward(values))).toEqual(Array.from(fresh.tanh(values)));
    fresh.initSync({ backend: 'wasm-scalar' });
    expect(tanh.activations.backend).toBe('wasm-scalar');
    // relu saved a buffer of the js instance: its backward still runs there.
    expect(Array.from(relu.backward([1, 1, 1, 1]))).toEqual([0, 0, 1, 1]);
    expect(Array.from(tanh.backward([1, 1, 1, 1]))).toEqual(Array.from(fresh.tanhBackward([1, 1, 1, 1], values)));
  });
});

// Types (checked by `npm run typecheck`): constructor options per class, forward options per kind.
export function typeChecks(x: Float32Array, acts: Activations): void {
  // @ts-expect-error ReLU has no params
  new ReLU({ alpha: 1 });
  // @ts-expect-error alpha is a number
  new LeakyReLU({ alpha: '1' });
  // @ts-expect-error dim belongs to the softmax family
  new Tanh({ dim: 1 });
  // @ts-expect-error params go to the constructor, not to forward()
  new LeakyReLU().forward(x, { alpha: 1 });
  // @ts-expect-error an element-wise forward has no shape
  new ReLU().forward(x, { shape: [2] });
  // @ts-expect-error dim goes to the constructor
  new Softmax().forward(x, { dim: 1 });
  const softmax: Softmax = new Softmax({ dim: 1, activations: acts });
  const dim: number = softmax.dim;
  const buffer: ActivationBuffer = new ReLU().forward(x, { out: acts.allocate(x.length) });
  const y: Float32Array = softmax.forward(x, { shape: [2, x.length / 2] });
  const dx: Float32Array = softmax.backward(y);
  const alpha: number = new LeakyReLU().params.alpha;
  const prelu = new PReLU({ numParameters: 3, init: 0.1 });
  const py: Float32Array = prelu.forward(x, { shape: [x.length / 3, 3] });
  const pdx: Float32Array = prelu.backward(py);
  const grad: Float32Array | null = prelu.weightGrad;
  prelu.weight = [0.1, 0.2, 0.3];
  // @ts-expect-error PReLU's weight is its own, not an option
  new PReLU({ weight: 0.25 });
  // @ts-expect-error the weight count is numParameters
  new PReLU({ num_parameters: 3 });
  void [pdx, grad];
  const cls: ModuleClass<'leakyRelu'> = LeakyReLU;
  const name: ActivationName = cls.activation;
  void [dim, buffer, dx, alpha, name, definitions];
}
