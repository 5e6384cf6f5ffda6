// Argument checks. Every public call runs these before it touches any memory, so a bad call
// throws a TypeError or RangeError that names the argument and changes nothing the caller owns.
import { isChoiceParam, type AnyParamSpec, type Float32Input, type ParamValues } from '../spec.js';
import { ActivationBuffer } from './buffer.js';
import { detachedViewMessage, isDetachedMemoryView } from './detached.js';
import { byteOffsetOf, viewsOverlap } from './views.js';

/** A value as an error message shows it: its type and, for a primitive, the value. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an Array';
  if (ArrayBuffer.isView(value)) {
    // A typed array made in another realm (an iframe, a vm context) fails instanceof here.
    const name = value.constructor.name;
    const foreign = name === 'Float32Array' && !(value instanceof Float32Array);
    return foreign ? 'a Float32Array of another realm (an iframe or a vm context): make it in this one' : `a ${name}`;
  }
  return typeof value === 'object' ? `an object (${Object.prototype.toString.call(value)})` : `${typeof value} ${String(value)}`;
}

/**
 * `x` as a Float32Array or buffer: a Float32Array or an ActivationBuffer as it is (no copy),
 * any other numeric typed array or an Array of numbers converted (a copy).
 */
export function toOperand(x: Float32Input | ActivationBuffer, name: string): Float32Array | ActivationBuffer {
  if (x instanceof Float32Array) {
    if (x.length === 0 && isDetachedMemoryView(x)) throw new RangeError(detachedViewMessage(name));
    return x;
  }
  if (x instanceof ActivationBuffer) return x;
  if (ArrayBuffer.isView(x)) {
    if (x instanceof DataView || x instanceof BigInt64Array || x instanceof BigUint64Array) {
      throw new TypeError(`${name} must be a Float32Array, an ActivationBuffer, another numeric typed array or an Array of numbers; got ${describe(x)}`);
    }
    return new Float32Array(x as unknown as ArrayLike<number>);
  }
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      if (typeof x[i] !== 'number') {
        throw new TypeError(`${name}[${i}] must be a number; got ${describe(x[i])}`);
      }
    }
    return new Float32Array(x);
  }
  throw new TypeError(`${name} must be a Float32Array, an ActivationBuffer, another numeric typed array or an Array of numbers; got ${describe(x)}`);
}

/** Option names, each mapped to whether it names one of an activation's params (see checkOptions). */
export type OptionNames = ReadonlyMap<string, boolean>;

/** Option names none of which is a param. */
export function optionNames(...names: string[]): Map<string, boolean> {
  return new Map(names.map((name) => [name, false]));
}

/**
 * Checks the options object: a plain object whose keys are all in `allowed`. Returns true when
 * a key names a param. The keys are those for...in sees (enumerable, own or inherited): they are
 * what is checked, and an activation's call reads its params only when one of them names a
 * param, so that a call with `{ out }` alone reads none. That read, a lookup of a missing
 * property at a site every activation shares (megamorphic), took 10-15% of a call at n = 16.
 */
export function checkOptions(options: unknown, allowed: OptionNames, fn: string): boolean {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`options of ${fn}() must be an object; got ${describe(options)}`);
  }
  let namesParam = false;
  for (const key in options) {
    const isParam = allowed.get(key);
    if (isParam === undefined) {
      throw new TypeError(`${fn}() has no option '${key}'; its options are ${[...allowed.keys()].map((k) => `'${k}'`).join(', ')}`);
    }
    if (isParam) namesParam = true;
  }
  return namesParam;
}

/** The values of an activation's params, defaults filled in. */
export function checkParams<P extends ParamValues>(
  options: Record<string, unknown>,
  specs: { readonly [K in keyof P]: AnyParamSpec },
  names: readonly string[] = Object.keys(specs),
): P {
  const values: ParamValues = {};
  for (const name of names) {
    const spec = specs[name];
    const value = options[name];
    if (value === undefined) {
      if (spec.required) throw new TypeError(`${name} is required (it has no default); got none`);
      values[name] = spec.default;
      continue;
    }
    if (isChoiceParam(spec)) {
      // A string param: a wrong type is a TypeError, an unknown string a RangeError; both list the choices.
      const choices = spec.choices.map((c) => `'${c}'`).join(', ');
      if (typeof value !== 'string') throw new TypeError(`${name} must be one of ${choices}; got ${describe(value)}`);
      if (!spec.choices.includes(value)) throw new RangeError(`${name} must be one of ${choices}; got '${value}'`);
      values[name] = value;
      continue;
    }
    if (typeof value !== 'number') throw new TypeError(`${name} must be a number; got ${describe(value)}`);
    if (!spec.allows(value)) throw new RangeError(`${name} must be ${spec.requirement}; got ${value}`);
    values[name] = value;
  }
  return values as P;
}

/**
 * The `out` option: undefined (a new array is made), or a Float32Array or ActivationBuffer of
 * exactly `x.length` elements that is `x` itself or does not overlap it.
 */
export function checkOut(out: unknown, x: Float32Array | ActivationBuffer, name = 'x'): Float32Array | ActivationBuffer | undefined {
  if (out === undefined) return undefined;
  // Two arrays, the commonest call, first: the checks below in the same order, without the
  // buffer tests that cannot apply (each instanceof that fails walks the prototype chain).
  if (out instanceof Float32Array && x instanceof Float32Array && out.length !== 0) {
    if (out.length !== x.length) throw outLengthError(out, x, name);
    if (out !== x && byteOffsetOf(out) !== byteOffsetOf(x) && viewsOverlap(out, x)) throw outOverlapError(name);
    return out;
  }
  if (!(out instanceof Float32Array) && !(out instanceof ActivationBuffer)) {
    throw new TypeError(`out must be a Float32Array or an ActivationBuffer; got ${describe(out)}`);
  }
  if (out instanceof Float32Array && out.length === 0 && isDetachedMemoryView(out)) throw new RangeError(detachedViewMessage('out'));
  if (out.length !== x.length) throw outLengthError(out, x, name);
  if (out instanceof ActivationBuffer && out.freed) throw new Error('cannot use out after free: this ActivationBuffer was freed');
  if (x instanceof ActivationBuffer && x.freed) throw new Error(`cannot use ${name} after free: this ActivationBuffer was freed`);
  if (out === x) return out; // in place
  // Two buffers are two blocks of the allocator: they never overlap unless they are the same.
  if (out instanceof ActivationBuffer && x instanceof ActivationBuffer) return out;
  // Overlap is judged on the memory itself, so a buffer and a view of the same memory count.
  const xs = x instanceof ActivationBuffer ? x.array : x;
  const os = out instanceof ActivationBuffer ? out.array : out;
  // Equal offsets (two arrays of their own start at 0) are apart or the same memory: in place.
  if (byteOffsetOf(os) !== byteOffsetOf(xs) && viewsOverlap(os, xs)) throw outOverlapError(name);
  return out;
}

/** The RangeError of an `out` whose length is not x's. */
function outLengthError(out: { length: number }, x: { length: number }, name: string): RangeError {
  return new RangeError(`out must have the length of ${name} (${x.length}); got length ${out.length}`);
}

/** The RangeError of an `out` that overlaps x at another offset. */
function outOverlapError(name: string): RangeError {
  return new RangeError(`out overlaps ${name} at another offset; pass ${name} itself (in place) or a separate array`);
}

/**
 * The two inputs of a backward pass: of equal length (a RangeError naming both otherwise) and
 * not freed.
 */
export function checkPair(dy: Float32Array | ActivationBuffer, x: Float32Array | ActivationBuffer, xName: string): void {
  if (dy.length !== x.length) {
    throw new RangeError(`dy and ${xName} must have the same length; got dy of length ${dy.length} and ${xName} of length ${x.length}`);
  }
  if (dy instanceof ActivationBuffer && dy.freed) throw new Error('cannot use dy after free: this ActivationBuffer was freed');
  if (x instanceof ActivationBuffer && x.freed) throw new Error(`cannot use ${xName} after free: this ActivationBuffer was freed`);
}

/**
 * The operands of a backward pass, checked before anything is written: dy and the saved tensor
 * (named `savedName`) as operands of one length, and `out` (when given) against both.
 */
export function checkBackwardOperands(
  dyInput: Float32Input | ActivationBuffer, savedInput: Float32Input | ActivationBuffer, savedName: string, out: unknown,
): { dy: Float32Array | ActivationBuffer; saved: Float32Array | ActivationBuffer; out: Float32Array | ActivationBuffer | undefined } {
  const dy = toOperand(dyInput, 'dy');
  const saved = toOperand(savedInput, savedName);
  checkPair(dy, saved, savedName);
  if (out === undefined) return { dy, saved, out: undefined };
  const checked = checkOut(out, dy, 'dy');
  checkOut(out, saved, savedName);
  return { dy, saved, out: checked };
}

/** The length argument of allocate(). */
export function checkLength(length: unknown): number {
  if (typeof length !== 'number' || !Number.isInteger(length)) {
    throw new TypeError(`length must be an integer; got ${describe(length)}`);
  }
  if (length < 0 || length > 2 ** 30) throw new RangeError(`length must be in [0, 2^30]; got ${length}`);
  return length;
}

/** A softmax-style layout: `shape` (default [length]) and `dim` (default -1) as outer, n, inner. */
export interface SliceLayout {
  readonly outer: number;
  readonly n: number;
  readonly inner: number;
}

/**
 * The `shape` option (default `[length]`: an Array of at least one non-negative safe integer
 * whose product is `length`) and `dim` (default -1, negative counts from the end) checked, and
 * the shape seen along dim as [outer, n, inner]: the products before and after dim, and its
 * size. One pass, each entry read once: the call runs on the sizes it checked, so a shape whose
 * entries are getters (or change under a Proxy) cannot pass with one size and run with another.
 * The errors come in this order: the shape's type, an entry, the rank, the product, then dim.
 * Nothing allocated but the result: a copy of the shape and a second pass took 40-70 ns a call,
 * a quarter of a softmax call at n = 16.
 */
function sliceLayout(shapeOption: unknown, dimOption: unknown, length: number, name: string): SliceLayout {
  const shape = shapeOption === undefined ? [length] : shapeOption;
  if (!Array.isArray(shape)) throw new TypeError(`shape must be an Array of integers; got ${describe(shape)}`);
  const rank = shape.length;
  const dim = dimOption === undefined ? -1 : dimOption;
  const isInteger = typeof dim === 'number' && Number.isInteger(dim);
  const axis = isInteger && dim >= -rank && dim < rank ? (dim < 0 ? dim + rank : dim) : -1;
  let outer = 1;
  let n = 1;
  let inner = 1; // every size while axis is -1 (a bad dim, reported after the shape's errors)
  for (let i = 0; i < rank; i++) {
    const size: unknown = shape[i];
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw new RangeError(`shape[${i}] must be a non-negative integer; got ${String(size)}`);
    }
    if (i < axis) outer *= size;
    else if (i === axis) n = size;
    else inner *= size;
  }
  if (rank === 0) throw new RangeError('shape must have at least one dimension');
  const product = outer * n * inner;
  // (The message reads the entries again: for entries that are getters, possibly other values.)
  if (product !== length) throw new RangeError(`shape [${Array.from(shape).join(', ')}] holds ${product} elements but ${name} has ${length}`);
  if (!isInteger) throw new TypeError(`dim must be an integer; got ${describe(dim)}`);
  if (axis < 0) throw new RangeError(`dim must be in [${-rank}, ${rank - 1}] for a shape of rank ${rank}; got ${dim}`);
  return { outer, n, inner };
}

/** Checks `shape` and `dim` against the length of x and returns the [outer, n, inner] view. */
export function checkLayout(shapeOption: unknown, dimOption: unknown, length: number, name = 'x'): SliceLayout {
  if (shapeOption === undefined && (dimOption === undefined || dimOption === -1 || dimOption === 0)) {
    return { outer: 1, n: length, inner: 1 }; // one row: the common call
  }
  return sliceLayout(shapeOption, dimOption, length, name);
}

/**
 * The `shape` of a per-channel call as [outer, channels, inner]: dim 1 is the channel dim
 * (PyTorch's prelu: "when input has dims < 2, there is no channel dim and the number of
 * channels = 1"). Default: `[length]`, one channel.
 */
export function checkChannelShape(shapeOption: unknown, length: number, name = 'x'): { outer: number; channels: number; inner: number } {
  const rank = Array.isArray(shapeOption) ? shapeOption.length : 1;
  const { outer, n, inner } = sliceLayout(shapeOption, rank > 1 ? 1 : 0, length, name);
  return rank > 1 ? { outer, channels: n, inner } : { outer: length, channels: 1, inner: 1 };
}

/** The largest finite float32. */
const FLT_MAX = 3.4028234663852886e38;

/**
 * The `weight` option of a per-channel call: a number, or a Float32Array or an Array of numbers
 * holding 1 weight (shared by all elements) or one per channel, each finite as a float32. Returns
 * the weights as a Float32Array (the given one, not copied, when it is a Float32Array).
 */
export function checkWeight(weight: unknown, channels: number, fn: string): Float32Array {
  if (weight === undefined) throw new TypeError(`${fn}() needs the weight option (PyTorch's prelu has no default; torch.nn.PReLU starts at 0.25); got none`);
  if (typeof weight === 'number') {
    // The common call, one number: checked on its own, without the array checks below.
    const w = Math.fround(weight);
    if (w - w !== 0) throw new RangeError(`weight must be finite as a float32 (|w| <= ${FLT_MAX}); got ${weight}`);
    const one = new Float32Array(1);
    one[0] = w;
    return one;
  }
  let weights: Float32Array;
  if (weight instanceof Float32Array) {
    weights = weight;
  } else if (Array.isArray(weight)) {
    weight.forEach((w: unknown, i) => {
      if (typeof w !== 'number') throw new TypeError(`weight[${i}] must be a number; got ${describe(w)}`);
    });
    weights = new Float32Array(weight as number[]);
  } else {
    throw new TypeError(`weight must be a number, a Float32Array or an Array of numbers; got ${describe(weight)}`);
  }
  if (weights.length !== 1 && weights.length !== channels) {
    throw new RangeError(`weight must hold 1 weight or one per channel (${channels}, dim 1 of shape); got ${weights.length} weights`);
  }
  for (let i = 0; i < weights.length; i++) {
    if (!Number.isFinite(weights[i])) {
      const given = Array.isArray(weight) ? weight[i] : weights[i];
      throw new RangeError(`weight[${i}] must be finite as a float32 (|w| <= ${FLT_MAX}); got ${given}`);
    }
  }
  return weights;
}

/**
 * A per-channel call's result `out` (y, or dx) must not share memory with `weight`: the js
 * backend reads the weights while it writes out, the wasm backends copy them first, so an
 * overlap would give each backend its own answer. A RangeError instead, as for other overlaps.
 */
export function checkApartFromWeight(out: Float32Array | ActivationBuffer, weights: Float32Array): void {
  const os = out instanceof ActivationBuffer ? out.array : out;
  if (viewsOverlap(os, weights)) {
    throw new RangeError('out overlaps weight; pass a separate array');
  }
}

/**
 * The `weightOut` option of a per-channel backward pass: undefined (a new array is made), or a
 * Float32Array of `count` elements (the weights' count) that does not overlap `out` (dx).
 */
export function checkWeightOut(weightOut: unknown, count: number, out: Float32Array | ActivationBuffer | undefined): Float32Array | undefined {
  if (weightOut === undefined) return undefined;
  if (!(weightOut instanceof Float32Array)) throw new TypeError(`weightOut must be a Float32Array; got ${describe(weightOut)}`);
  if (weightOut.length !== count) {
    throw new RangeError(`weightOut must have the length of weight (${count}); got length ${weightOut.length}`);
  }
  const os = out instanceof ActivationBuffer ? (out.freed ? undefined : out.array) : out;
  if (os && viewsOverlap(os, weightOut)) {
    throw new RangeError('weightOut overlaps out; pass a separate array');
  }
  return weightOut;
}

/**
 * The `shape` and `dim` of a gated call (glu) against the length of x, as [outer, 2, m]: outer =
 * the product of shape before dim, m = half the size along dim times the product after it. The
 * size along dim must be even (PyTorch: "Halving dimension must be even"). Default shape
 * `[length]`, dim -1.
 */
export function checkGatedLayout(shapeOption: unknown, dimOption: unknown, length: number, name = 'x'): { outer: number; m: number } {
  const { outer, n: size, inner } = sliceLayout(shapeOption, dimOption, length, name);
  if (size % 2 !== 0) {
    throw new RangeError(`the size of ${name} along dim must be even (halving dimension); dim ${dimOption ?? -1} is size ${size}`);
  }
  return { outer, m: (size / 2) * inner };
}

/**
 * The `out` option of a call whose result has `length` floats (not its input's): undefined, or
 * a Float32Array or ActivationBuffer of exactly `length` elements that overlaps none of `inputs`
 * (named by `names`), unless `inPlace` allows it to be that input itself.
 */
export function checkSizedOut(
  out: unknown, length: number, lengthOf: string, inputs: readonly (Float32Array | ActivationBuffer)[], names: readonly string[], inPlace = -1,
): Float32Array | ActivationBuffer | undefined {
  if (out === undefined) return undefined;
  if (!(out instanceof Float32Array) && !(out instanceof ActivationBuffer)) {
    throw new TypeError(`out must be a Float32Array or an ActivationBuffer; got ${describe(out)}`);
  }
  if (out.length !== length) throw new RangeError(`out must have ${lengthOf} (${length}); got length ${out.length}`);
  if (out instanceof ActivationBuffer && out.freed) throw new Error('cannot use out after free: this ActivationBuffer was freed');
  const os = out instanceof ActivationBuffer ? out.array : out;
  inputs.forEach((x, k) => {
    if (x instanceof ActivationBuffer && x.freed) throw new Error(`cannot use ${names[k]} after free: this ActivationBuffer was freed`);
    if (out === x && k === inPlace) return;
    if (out === x) throw new RangeError(`out must not be ${names[k]}; pass a separate array`);
    if (out instanceof ActivationBuffer && x instanceof ActivationBuffer) return; // distinct blocks never overlap
    const xs = x instanceof ActivationBuffer ? x.array : x;
    if (viewsOverlap(os, xs)) {
      const same = k === inPlace && byteOffsetOf(os) === byteOffsetOf(xs) && os.length === xs.length;
      if (!same) {
        throw new RangeError(`out overlaps ${names[k]}; pass ${k === inPlace ? `${names[k]} itself (in place) or ` : ''}a separate array`);
      }
    }
  });
  return out;
}
