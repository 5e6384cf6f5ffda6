// The option types: `npm run typecheck` compiles this file, so each `@ts-expect-error` below fails
// the typecheck when the call it marks stops being a type error (e.g. a required param typed as
// optional again). At run time the same calls throw the TypeError the types promise.
import { describe, expect, it } from 'vitest';
import {
  createActivations, createActivationsSync, prelu, preluBackward, ReLU, RReLU, Tanh, threshold, thresholdBackward, type ActivationBuffer,
} from '../src/index.js';

describe('option types', () => {
  const acts = createActivationsSync({ backend: 'js' });

  it('let createActivations take options decided at run time, and refuse a threaded js backend', async () => {
    const fromConfig = (n: number | undefined) => createActivations({ threads: n, backend: 'auto' });
    const plain = await fromConfig(undefined); // Activations | ThreadedActivations
    expect('threadsReason' in plain).toBe(false);
    // @ts-expect-error with threads, the backend is 'auto' or 'wasm-simd' (a RangeError at run time)
    await expect(createActivations({ threads: 2, backend: 'js' })).rejects.toThrow(RangeError);
  });

  it('make required params required (threshold: PyTorch has no defaults)', () => {
    // @ts-expect-error threshold and value are required
    expect(() => acts.threshold([1])).toThrow(TypeError);
    // @ts-expect-error value is required
    expect(() => acts.threshold([1], { threshold: 0.5 })).toThrow(/\bvalue\b/);
    // @ts-expect-error threshold is required
    expect(() => threshold([1], { value: 0.5 })).toThrow(/\bthreshold\b/);
    // @ts-expect-error the backward pass takes the same required params
    expect(() => thresholdBackward([1], [1])).toThrow(TypeError);
    // @ts-expect-error with out, too
    expect(() => acts.threshold([1], { out: new Float32Array(1) })).toThrow(TypeError);
    expect(Array.from(acts.threshold([1, 0], { threshold: 0.5, value: -9 }))).toEqual([1, -9]);
  });

  it('take the inputs the functions and modules take: typed arrays and Arrays of numbers, not any array-like', () => {
    expect(Array.from(acts.relu(Float64Array.of(-1, 2)))).toEqual([0, 2]);
    expect(Array.from(acts.relu([-1, 2] as readonly number[]))).toEqual([0, 2]);
    // @ts-expect-error an object with a length and indices is not an input (a TypeError at run time)
    expect(() => acts.relu({ length: 2, 0: -1, 1: 2 })).toThrow(TypeError);
    // @ts-expect-error nor is a string
    expect(() => acts.relu('12')).toThrow(TypeError);
  });

  it('give inplace to the module classes whose torch.nn module has it, and to no other', () => {
    expect(new ReLU({ inplace: true }).inplace).toBe(true);
    expect(new RReLU({ inplace: true }).inplace).toBe(true);
    // @ts-expect-error nn.Tanh has no inplace (a TypeError at run time)
    expect(() => new Tanh({ inplace: true })).toThrow(TypeError);
  });

  it('keep optional params optional', () => {
    expect(Array.from(acts.leakyRelu([-1]))).toEqual([Math.fround(-0.01)]);
    expect(Array.from(acts.leakyRelu([-1], {}))).toEqual([Math.fround(-0.01)]);
    expect(Array.from(acts.hardtanh([2], { maxVal: 1.5 }))).toEqual([1.5]);
    // @ts-expect-error a param of another function
    expect(() => acts.leakyRelu([1], { lambd: 1 })).toThrow(/'lambd'/);
  });

  it('require prelu\'s weight and type both of preluBackward\'s results', () => {
    // @ts-expect-error the weight is required
    expect(() => acts.prelu([1])).toThrow(/\bweight\b/);
    // @ts-expect-error the weight is required
    expect(() => prelu([1], {})).toThrow(/\bweight\b/);
    // @ts-expect-error a weight is a number or an array of numbers
    expect(() => acts.prelu([1], { weight: '0.25' })).toThrow(TypeError);
    // @ts-expect-error prelu has no dim
    expect(() => acts.prelu([1], { weight: 1, dim: 1 })).toThrow(/'dim'/);
    const buffer = acts.allocate(2);
    const y: ActivationBuffer = acts.prelu([-4, 4], { weight: [0.5], out: buffer });
    expect(Array.from(y.array)).toEqual([-2, 4]);
    const { dx, dweight } = preluBackward([1, 1], [-4, 4], { weight: 0.5 });
    const typed: [Float32Array, Float32Array] = [dx, dweight];
    expect(typed.map((a) => Array.from(a))).toEqual([[0.5, 1], [-4]]);
    const intoBuffer = acts.preluBackward([1, 1], [-4, 4], { weight: 0.5, out: buffer });
    const dxBuffer: ActivationBuffer = intoBuffer.dx;
    expect(Array.from(dxBuffer.array)).toEqual([0.5, 1]);
    buffer.free();
  });
});
