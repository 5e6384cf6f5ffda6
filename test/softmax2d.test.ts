// Softmax2d (torch.nn.Softmax2d) on every backend: softmax over the channels of each pixel of a
// [C, H, W] or [N, C, H, W] input, against a float64 softmax gathered here pixel by pixel (not
// through the package's layout helpers), within softmax's bound; backward equal to
// softmaxBackward along dim -3 bit for bit; the shape and option errors before anything is written.
import { beforeAll, describe, expect, it } from 'vitest';
import { createActivations, definitions, Softmax, Softmax2d, type Activations } from '../src/index.js';
import { BACKENDS } from './helpers/activations.js';
import { Rng } from './helpers/rng.js';
import { describeWorst, maxUlp } from './helpers/ulp.js';

/** float64 softmax over the channels of every pixel of x, shape [N, C, H, W] (N = 1 for 3-D). */
function channelSoftmax(x: Float32Array, shape: readonly number[]): Float64Array {
  const [batch, channels, height, width] = shape.length === 3 ? [1, ...shape] : shape;
  const pixels = height * width;
  const out = new Float64Array(x.length);
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < pixels; p++) {
      const at = (c: number) => b * channels * pixels + c * pixels + p;
      let max = -Infinity;
      for (let c = 0; c < channels; c++) max = Math.max(max, x[at(c)]);
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += Math.exp(x[at(c)] - max);
      for (let c = 0; c < channels; c++) out[at(c)] = Math.exp(x[at(c)] - max) / sum;
    }
  }
  return out;
}

function randomInput(length: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length }, () => rng.uniform(-6, 6));
}

const SHAPES: readonly (readonly number[])[] = [[2, 3, 4, 5], [3, 7, 9], [1, 21, 8, 8], [4, 1, 2, 3], [2, 5, 1, 1]];

describe.each(BACKENDS)('Softmax2d on %s', (backend) => {
  let acts: Activations;
  beforeAll(async () => {
    acts = await createActivations({ backend });
  });

  it.each(SHAPES.map((shape) => [shape.join('×'), shape] as const))('normalises the channels of each pixel of %s', (_, shape) => {
    const x = randomInput(shape.reduce((a, b) => a * b, 1), 11);
    const y = new Softmax2d({ activations: acts }).forward(x, { shape });
    const worst = maxUlp(y, channelSoftmax(x, shape), x);
    expect(worst.ulp, describeWorst(worst)).toBeLessThanOrEqual(definitions.softmax.ulp);
  });

  it('gives the bits of softmax along dim -3, forward and backward, in place too', () => {
    const shape = [2, 6, 5, 7];
    const x = randomInput(2 * 6 * 5 * 7, 12);
    const dy = randomInput(x.length, 13);
    const module = new Softmax2d({ activations: acts });
    const y = module.forward(x, { shape });
    expect(y).toEqual(acts.softmax(x, { dim: -3, shape }));
    expect(y).toEqual(new Softmax({ dim: 1, activations: acts }).forward(x, { shape }));
    const dx = module.backward(dy);
    expect(dx).toEqual(acts.softmaxBackward(dy, y, { dim: -3, shape }));
    const inPlace = x.slice();
    expect(module.forward(inPlace, { shape, out: inPlace })).toBe(inPlace);
    expect(inPlace).toEqual(y);
  });

  it('refuses a shape that is not 3-D or 4-D, before writing out, as PyTorch refuses other ranks', () => {
    const module = new Softmax2d({ activations: acts });
    const x = randomInput(24, 14);
    const out = new Float32Array(24).fill(7);
    for (const shape of [[24], [4, 6], [1, 2, 3, 2, 2]]) {
      expect(() => module.forward(x, { shape, out })).toThrow(new RegExp(`^Softmax2d.forward: shape must have 3 dims \\[C, H, W\\] or 4 dims \\[N, C, H, W\\]; got a shape of ${shape.length} dims`));
      expect(() => module.forward(x, { shape, out })).toThrow(RangeError);
    }
    expect(() => (module.forward as (x: unknown, o?: unknown) => unknown)(x)).toThrow('got no shape');
    expect(out.every((v) => v === 7)).toBe(true);
    // A 3-D shape whose product is not x.length: softmax's own check names it.
    expect(() => module.forward(x, { shape: [2, 3, 5], out })).toThrow(RangeError);
    expect(out.every((v) => v === 7)).toBe(true);
    // No forward completed, so no backward.
    expect(() => module.backward(x)).toThrow(/needs a forward\(\) first/);
  });
});

describe('Softmax2d options', () => {
  it('takes no dim (always -3) and shows as PyTorch does', () => {
    expect(new Softmax2d().dim).toBe(-3);
    expect(String(new Softmax2d())).toBe('Softmax2d()');
    expect(() => new Softmax2d({ dim: 1 } as never)).toThrow(TypeError);
    expect(() => new Softmax2d({ dim: 1 } as never)).toThrow(/unknown option dim/);
    expect(() => new Softmax2d({ alpha: 1 } as never)).toThrow(/alpha/);
    expect(() => new Softmax2d(3 as never)).toThrow(TypeError);
  });
});
