// Element-wise activations on every backend: the ULP contract over ≥ 10^6 points of the whole
// float32 range, exact special values, every length around the tile and chunk boundaries,
// subarrays at odd byte offsets, in place and out of place, and bit-identical simd/scalar builds.
import { beforeAll, describe, expect, it } from 'vitest';
import { createActivations, definitions, type Activations, type ElementwiseDefinition } from '../src/index.js';
import {
  BACKENDS, elementwiseDefinitions, elementwiseReference, extremeParamCases, firstDifference, fn, paramCases, type ParamCase,
} from './helpers/activations.js';
import {
  boundaryLengths, FLT_MAX, FLT_TRUE_MIN, mixedInputs, SWEEP_SIZE_MIN, sweepInputs,
} from './helpers/inputs.js';
import { Rng } from './helpers/rng.js';
import { describeWorst, maxUlp, showFloat32, ulpError } from './helpers/ulp.js';

const sweep = sweepInputs();

// float64 references of the sweep, computed once per function and params (not per backend).
const sweepReferences = new Map<string, Float64Array>();
function sweepReference(definition: ElementwiseDefinition, paramCase: ParamCase): Float64Array {
  const key = `${definition.name} ${paramCase.label}`;
  let ref = sweepReferences.get(key);
  if (!ref) {
    ref = elementwiseReference(definition, sweep, paramCase.params);
    sweepReferences.set(key, ref);
  }
  return ref;
}

function expectWithinUlp(
  definition: ElementwiseDefinition,
  x: Float32Array,
  y: Float32Array,
  params: Record<string, number | string>,
  what: string,
): void {
  const worst = maxUlp(y, elementwiseReference(definition, x, params), x);
  expect(worst.ulp, `${definition.name} ${what}: ${describeWorst(worst)}`).toBeLessThanOrEqual(definition.ulp);
}

describe('the sweep inputs', () => {
  it('hold ≥ 10^6 points with every float32 exponent and both signs', () => {
    expect(sweep.length).toBeGreaterThanOrEqual(SWEEP_SIZE_MIN);
    const bits = new Uint32Array(sweep.buffer, sweep.byteOffset, sweep.length);
    const seen = new Set<number>();
    for (const b of bits) seen.add(b >>> 23); // sign and exponent
    for (let e = 0; e <= 255; e++) {
      expect(seen.has(e), `exponent ${e}, +`).toBe(true);
      expect(seen.has(e | 0x100), `exponent ${e}, -`).toBe(true);
    }
    expect(sweep.some(Number.isNaN)).toBe(true);
  });
});

describe.each(BACKENDS)('%s', (backend) => {
  let act: Activations;
  beforeAll(async () => {
    act = await createActivations({ backend });
    expect(act.backend).toBe(backend);
  });

  describe.each(elementwiseDefinitions)('$name', (definition) => {
    const cases = paramCases(definition);

    it.each(cases)(`is within its ULP bound on the ${sweep.length}-point sweep ($label)`, (paramCase) => {
      const y = fn(act, definition)(sweep, paramCase.options);
      expect(y.length).toBe(sweep.length);
      const worst = maxUlp(y, sweepReference(definition, paramCase), sweep);
      expect(worst.ulp, `${definition.name} (${paramCase.label}) on ${backend}: ${describeWorst(worst)}`)
        .toBeLessThanOrEqual(definition.ulp);
    });

    it.each(cases)('is within its ULP bound at every length around the tile and chunk boundaries ($label)', (paramCase) => {
      const rng = new Rng(0x1e9 + paramCase.label.length);
      for (const n of boundaryLengths()) {
        const x = mixedInputs(rng, n);
        const copy = x.slice();
        const y = fn(act, definition)(x, paramCase.options);
        expect(y.length).toBe(n);
        expect(y).not.toBe(x);
        expect(firstDifference(x, copy), 'input changed').toBe(-1);
        expectWithinUlp(definition, x, y, paramCase.params, `length ${n} (${paramCase.label})`);
      }
    });

    // Any finite param value is allowed, so the bound holds for the extremes too: float32's
    // largest, values beyond it, and values in or below its subnormal range.
    const extremeCases = extremeParamCases(definition);
    if (extremeCases.length > 0) {
      it.each(extremeCases)('is within its ULP bound on the sweep for an extreme param ($label)', (paramCase) => {
        const y = fn(act, definition)(sweep, paramCase.options);
        const worst = maxUlp(y, sweepReference(definition, paramCase), sweep);
        expect(worst.ulp, `${definition.name} (${paramCase.label}) on ${backend}: ${describeWorst(worst)}`)
          .toBeLessThanOrEqual(definition.ulp);
      });
    }

    it('is within its ULP bound in place at every boundary length', () => {
      const rng = new Rng(0x91ace);
      const params = cases[0].params;
      for (const n of boundaryLengths()) {
        const x = mixedInputs(rng, n);
        const input = x.slice();
        const y = fn(act, definition)(x, { out: x });
        expect(y).toBe(x);
        expectWithinUlp(definition, input, y, params, `in place, length ${n}`);
      }
    });

    it('reads and writes subarrays at byte offsets 4, 8, 12 and touches nothing around them', () => {
      const rng = new Rng(0x0ff5e7);
      const params = cases[cases.length - 1].params;
      const options = cases[cases.length - 1].options;
      const SENTINEL = -12345.5;
      for (const [offset, outOffset] of [[4, 4], [4, 8], [8, 12], [8, 8], [12, 4], [12, 12]]) {
        for (const n of [1, 3, 7, 16, 21, 37, 100, 16390]) {
          const lead = offset / 4;
          const guard = 9;
          const total = lead + n + guard;

          // Out of place: x in one buffer, out in another at a different offset.
          const xBuf = new Float32Array(total).fill(SENTINEL);
          const x = new Float32Array(xBuf.buffer, offset, n);
          x.set(mixedInputs(rng, n));
          const xBefore = xBuf.slice();
          const oBuf = new Float32Array(outOffset / 4 + n + guard).fill(SENTINEL);
          const out = new Float32Array(oBuf.buffer, outOffset, n);
          const y = fn(act, definition)(x, { ...options, out });
          expect(y).toBe(out);
          expect(firstDifference(xBuf, xBefore), `x's buffer changed (offset ${offset}, n ${n})`).toBe(-1);
          expectWithinUlp(definition, x, out, params, `out of place at offset ${offset}, n ${n}`);
          for (let i = 0; i < outOffset / 4; i++) expect(oBuf[i]).toBe(SENTINEL);
          for (let i = outOffset / 4 + n; i < oBuf.length; i++) expect(oBuf[i]).toBe(SENTINEL);

          // Out of place, x and out in the same buffer without overlap.
          const shared = new Float32Array(lead + n + guard + n + guard).fill(SENTINEL);
          const xs = new Float32Array(shared.buffer, offset, n);
          xs.set(x);
          const os = new Float32Array(shared.buffer, offset + (n + guard) * 4, n);
          const sharedBefore = shared.slice();
          expect(fn(act, definition)(xs, { ...options, out: os })).toBe(os);
          expectWithinUlp(definition, xBefore.subarray(lead, lead + n), os, params, `same buffer at offset ${offset}, n ${n}`);
          for (let i = 0; i < shared.length; i++) {
            if (i >= lead + n + guard && i < lead + n + guard + n) continue;
            if (!Object.is(shared[i], sharedBefore[i])) {
              expect.fail(`shared buffer changed at ${i} (offset ${offset}, n ${n})`);
            }
          }

          // In place on the subarray.
          const inPlace = fn(act, definition)(x, { ...options, out: x });
          expect(inPlace).toBe(x);
          expectWithinUlp(definition, xBefore.subarray(lead, lead + n), x, params, `in place at offset ${offset}, n ${n}`);
          for (let i = 0; i < lead; i++) expect(xBuf[i]).toBe(SENTINEL);
          for (let i = lead + n; i < xBuf.length; i++) expect(xBuf[i]).toBe(SENTINEL);
        }
      }
    });

    it('keeps NaN, and never gives NaN for a non-NaN input where the exact value is not NaN', () => {
      const y = fn(act, definition)(sweep);
      const ref = sweepReference(definition, cases[0]);
      for (let i = 0; i < sweep.length; i++) {
        if (Number.isNaN(y[i]) !== Number.isNaN(ref[i])) {
          expect.fail(`${definition.name}(${showFloat32(sweep[i])}) = ${y[i]}, exact ${ref[i]}`);
        }
      }
    });
  });

  // Exact values the contract fixes, by Object.is (so -0 and +0 differ, NaN equals NaN).
  const exactCases: Record<string, Array<[x: number, expected: number, options?: Record<string, number | string>]>> = {
    relu: [
      [NaN, NaN], [-0, -0], [0, 0], [-5, 0], [5, 5], [-FLT_TRUE_MIN, 0], [FLT_TRUE_MIN, FLT_TRUE_MIN],
      [Infinity, Infinity], [-Infinity, 0], [FLT_MAX, FLT_MAX], [-FLT_MAX, 0], [1.5, 1.5],
    ],
    leakyRelu: [
      [-0, -0], [0, 0], [NaN, NaN], [Infinity, Infinity], [-Infinity, -Infinity], [3, 3], [FLT_MAX, FLT_MAX],
      [-2, Math.fround(-0.02)], [-4, -2, { alpha: 0.5 }], [-4, -4, { alpha: 1 }], [-4, 12, { alpha: -3 }],
      [7, 7, { alpha: -3 }], [NaN, NaN, { alpha: 0 }], [-0, -0, { alpha: 2 }],
    ],
    sigmoid: [
      [Infinity, 1], [-Infinity, 0], [1e30, 1], [-1e30, 0], [FLT_MAX, 1], [-FLT_MAX, 0], [NaN, NaN],
      [0, 0.5], [-0, 0.5], [20, 1], [100, 1],
    ],
    tanh: [
      [Infinity, 1], [-Infinity, -1], [-0, -0], [0, 0], [NaN, NaN], [10, 1], [-10, -1], [1e30, 1], [-1e30, -1],
      [FLT_MAX, 1], [-FLT_MAX, -1], [FLT_TRUE_MIN, FLT_TRUE_MIN], [-FLT_TRUE_MIN, -FLT_TRUE_MIN],
      [1e-20, Math.fround(1e-20)], [-1e-20, Math.fround(-1e-20)],
    ],
    hardtanh: [
      [NaN, NaN], [-0, -0], [0, 0], [2, 1], [-2, -1], [Infinity, 1], [-Infinity, -1], [0.5, 0.5], [1, 1], [-1, -1],
      [5, 3, { minVal: -2, maxVal: 3 }], [-5, -2, { minVal: -2, maxVal: 3 }], [0.1, Math.fround(0.1), { minVal: 0.1, maxVal: 0.1 }],
    ],
    relu6: [
      [NaN, NaN], [-0, -0], [0, 0], [-1, 0], [7, 6], [Infinity, 6], [-Infinity, 0], [3, 3], [6, 6], [FLT_TRUE_MIN, FLT_TRUE_MIN],
    ],
    hardsigmoid: [
      [NaN, NaN], [-3, 0], [3, 1], [0, 0.5], [-0, 0.5], [-Infinity, 0], [Infinity, 1], [1.5, 0.75], [-1.5, 0.25], [-4, 0], [4, 1],
    ],
    hardswish: [
      [NaN, NaN], [-3, -0], [3, 3], [-4, -0], [4, 4], [-Infinity, -0], [Infinity, Infinity], [-0, -0], [0, 0], [-1.5, -0.375],
      [FLT_MAX, FLT_MAX],
    ],
    softsign: [
      [Infinity, NaN], [-Infinity, NaN], [NaN, NaN], [-0, -0], [0, 0], [1, 0.5], [-3, -0.75], [FLT_MAX, 1], [-FLT_MAX, -1],
      [FLT_TRUE_MIN, FLT_TRUE_MIN],
    ],
    softshrink: [
      [NaN, NaN], [-0.25, -0], [0.25, 0], [0.5, 0], [-0.5, -0], [2, 1.5], [-2, -1.5], [Infinity, Infinity], [-Infinity, -Infinity],
      [-0, -0], [3, 2, { lambd: 1 }], [-0, -0, { lambd: 0 }], [-7, -7, { lambd: 0 }],
    ],
    hardshrink: [
      [NaN, NaN], [0.5, 0], [-0.5, 0], [0.25, 0], [-0.25, 0], [2, 2], [-2, -2], [-Infinity, -Infinity], [-0, 0],
      [0.5, 0.5, { lambd: 0.25 }], [-0, 0, { lambd: 0 }],
    ],
    gelu: [
      [NaN, NaN], [Infinity, Infinity], [-Infinity, -0], [-0, -0], [0, 0], [20, 20], [-20, -0], [FLT_MAX, FLT_MAX],
      [-FLT_MAX, -0], [FLT_TRUE_MIN, 0], [-FLT_TRUE_MIN, -0], [0.5, Math.fround(0.345731230637006551818852305304)],
      [NaN, NaN, { approximate: 'tanh' }], [Infinity, Infinity, { approximate: 'tanh' }], [-Infinity, -0, { approximate: 'tanh' }],
      [-0, -0, { approximate: 'tanh' }], [0, 0, { approximate: 'tanh' }], [20, 20, { approximate: 'tanh' }],
      [-20, -0, { approximate: 'tanh' }], [FLT_MAX, FLT_MAX, { approximate: 'tanh' }], [-FLT_MAX, -0, { approximate: 'tanh' }],
      [FLT_TRUE_MIN, 0, { approximate: 'tanh' }], [0, 0, { approximate: 'none' }], [-Infinity, -0, { approximate: 'none' }],
    ],
    tanhshrink: [
      [NaN, NaN], [Infinity, Infinity], [-Infinity, -Infinity], [-0, -0], [0, 0], [FLT_MAX, FLT_MAX], [-FLT_MAX, -FLT_MAX],
      [FLT_TRUE_MIN, 0], [-FLT_TRUE_MIN, -0], [1e30, Math.fround(1e30)], [20, 19], [-20, -19],
    ],
    threshold: [
      [NaN, NaN, { threshold: 0.5, value: -1 }], [0.5, -1, { threshold: 0.5, value: -1 }], [1, 1, { threshold: 0.5, value: -1 }],
      [-Infinity, -1, { threshold: 0.5, value: -1 }], [Infinity, Infinity, { threshold: 0.5, value: -1 }],
      [0, 20, { threshold: 0, value: 20 }], [-0, 20, { threshold: 0, value: 20 }], [1e-30, Math.fround(1e-30), { threshold: 0, value: 20 }],
      // The threshold rounded to float32 (fround(0.2) > 0.2): x = fround(0.2) is at it, not above.
      [0.2, 5, { threshold: 0.2, value: 5 }],
    ],
    // elu, selu, celu: x = ±0 gives x itself (times selu's scale), as PyTorch since 2.8 (before,
    // its x <= 0 test took (e^x - 1) * alpha: +0 * alpha).
    elu: [
      [NaN, NaN], [-Infinity, -1], [-0, -0], [0, 0], [Infinity, Infinity], [2, 2], [-100, -1], [-FLT_MAX, -1], [FLT_MAX, FLT_MAX],
      [-1e-30, Math.fround(-1e-30)], [-FLT_TRUE_MIN, -FLT_TRUE_MIN], [-Infinity, -0.5, { alpha: 0.5 }], [-Infinity, 3, { alpha: -3 }],
      [-0, -0, { alpha: -2 }], [0, 0, { alpha: -2 }], [-5, -0, { alpha: 0 }], [-0, -0, { alpha: 0 }],
    ],
    selu: [
      [NaN, NaN], [-Infinity, -Math.fround(1.6732632423543772 * 1.0507009873554805)], [-0, -0], [0, 0], [Infinity, Infinity],
      [1, Math.fround(1.0507009873554805)], [2, 2 * Math.fround(1.0507009873554805)], [FLT_MAX, Infinity],
      [-100, -Math.fround(1.6732632423543772 * 1.0507009873554805)],
    ],
    celu: [
      [NaN, NaN], [-Infinity, -1], [-0, -0], [0, 0], [Infinity, Infinity], [2, 2], [-1e-30, Math.fround(-1e-30)],
      [-Infinity, -0.5, { alpha: 0.5 }], [-Infinity, Math.fround(-0.3), { alpha: 0.3 }], [-0, -0, { alpha: 0.3 }],
      [-Infinity, -Infinity, { alpha: -0.5 }], [-0, -0, { alpha: -0.5 }], [0, 0, { alpha: -0.5 }], [3, 3, { alpha: -0.5 }],
      [-1e-30, Math.fround(-1e-30), { alpha: 3 }], [-FLT_TRUE_MIN, -FLT_TRUE_MIN, { alpha: FLT_MAX }], [-1, -1, { alpha: FLT_MAX }],
    ],
    // silu: PyTorch's x / (1 + e^-x), which is NaN at -Infinity.
    silu: [
      [NaN, NaN], [-Infinity, NaN], [Infinity, Infinity], [-0, -0], [0, 0], [FLT_MAX, FLT_MAX], [100, 100], [20, 20],
      [-200, -0], [-FLT_MAX, -0],
      ],
    softplus: [
      [Infinity, Infinity], [-Infinity, 0], [NaN, NaN], [0, Math.fround(Math.LN2)], [-0, Math.fround(Math.LN2)], [30, 30], [20, 20],
      [-200, 0], [FLT_MAX, FLT_MAX], [-FLT_MAX, 0], [1.5, 1.5, { threshold: 1 }], [-1, -1, { threshold: -2 }],
      [-Infinity, 0, { threshold: -5 }], [Infinity, Infinity, { threshold: 1e39 }], [FLT_MAX, FLT_MAX, { threshold: 1e39 }],
      [10, 10, { beta: 3 }], [-Infinity, 0, { beta: 0.2 }], [NaN, NaN, { beta: 3 }], [Infinity, Infinity, { beta: 0.2, threshold: 1e39 }],
      // beta x in float32 (as PyTorch's x * beta in the tensor's dtype): 3 fround(1/3) rounds to
      // exactly 1, not above the threshold 1, so the log branch (in float64, beta x = 1.00000003
      // would take the linear one: 0.33333334); 0.5 is above.
      [1 / 3, 0.43775391578674316, { beta: 3, threshold: 1 }], [0.5, 0.5, { beta: 3, threshold: 1 }],
    ],
    logsigmoid: [
      [-Infinity, -Infinity], [Infinity, 0], [NaN, NaN], [0, -Math.fround(Math.LN2)], [-0, -Math.fround(Math.LN2)],
      [-200, -200], [FLT_MAX, 0], [-FLT_MAX, -FLT_MAX],
    ],
    mish: [
      [Infinity, Infinity], [-Infinity, NaN], [NaN, NaN], [0, 0], [-0, -0], [FLT_MAX, FLT_MAX], [-FLT_MAX, -0], [-200, -0],
      [100, 100], [FLT_TRUE_MIN, FLT_TRUE_MIN],
    ],
  };

  describe.each(Object.entries(exactCases))('%s', (name, table) => {
    it.each(table)('f(%s) is exactly %s (%o)', (x, expected, options) => {
      // Alone (scalar tail) and at every position of a 37-long array (tile, v128 and tail paths).
      const single = fn(act, name)([x], options);
      expect(Object.is(single[0], expected), `got ${showFloat32(single[0])}`).toBe(true);
      for (let pos = 0; pos < 37; pos++) {
        const input = new Float32Array(37).fill(0.25);
        input[pos] = x;
        const y = fn(act, name)(input, options);
        if (!Object.is(y[pos], expected)) expect.fail(`at position ${pos} of 37: got ${showFloat32(y[pos])}`);
      }
    });
  });

  // Values of the exact functions (from bc -l, 30 digits), within each definition's bound.
  const knownValues: Record<string, Array<[x: number, exact: number]>> = {
    sigmoid: [
      [-1, 0.268941421369995120748840758178], [0, 0.5], [1, 0.731058578630004879251159241822],
      [2, 0.880797077977882444059729141302], [-5, 0.006692850924284855559361980381],
      [0.5, 0.622459331201854564638900565745], [-10, 0.000045397868702434394504776232],
      [20, 0.99999999793884638180979641857], [-30, 9.3576229688392989e-14],
    ],
    tanh: [
      [1, 0.761594155955764888119458282604], [0.5, 0.462117157260009758502318483643],
      [-2, -0.964027580075816883946413724101], [0.25, 0.24491866240370912927780113149],
      [3, 0.995054753686730451331880185255], [-0.125, -0.124353001771596208054647275806],
      [0.75, 0.635148952387287319214434357312], [-4.5, -0.999753210848027536540506173791],
      [0.625, 0.554599722349382293999039095323],
    ],
    // From mpmath at 30 digits: x Φ(x) = x ncdf(x), and x - tanh(x).
    gelu: [
      [-1, -0.158655253931457051414767454368], [0.5, 0.345731230637006551818852305304],
      [1, 0.841344746068542948585232545632], [2, 1.95449973610364158559943472567],
      [-3, -0.00404969409489028357995544430279], [-5, -0.00000143325785939596955836876166437],
      [-10, -7.6198530241605260659733432516e-23], [3.5, 3.4991857982233756623727752594],
      [-13, -7.95231371941484358695777270431e-38],
    ],
    tanhshrink: [
      [0.5, 0.0378828427399902414976815163563], [1, 0.238405844044235111880541717395],
      [-0.25, -0.00508133759629087072219886850897], [2, 1.0359724199241831160535862759],
      [3, 2.00494524631326954866811981474], [0.125, 0.000646998228403791945352724194107],
    ],
  };

  describe.each(Object.entries(knownValues))('%s at known points', (name, table) => {
    it('matches the exact values within its bound', () => {
      const definition = definitions[name as keyof typeof definitions];
      const y = fn(act, name)(table.map(([x]) => x));
      table.forEach(([x, exact], i) => {
        // The inputs are float32 values, so exact is the exact function value at y's input.
        expect(Math.fround(x)).toBe(x);
        const err = ulpError(y[i], exact);
        expect(err, `${name}(${x}) = ${y[i]}, exact ${exact}`).toBeLessThanOrEqual(definition.ulp);
      });
    });
  });

  it("gives the tutorial's sigmoid([-1, 0, 1]) ≈ [0.26894142, 0.5, 0.73105858]", () => {
    const y = act.sigmoid([-1, 0, 1]);
    expect(y).toBeInstanceOf(Float32Array);
    const exact = [0.268941421369995120748840758178, 0.5, 0.731058578630004879251159241822];
    exact.forEach((e, i) => expect(ulpError(y[i], e), `[${i}] = ${y[i]}`).toBeLessThanOrEqual(definitions.sigmoid.ulp));
    expect(y[1]).toBe(0.5);
  });

  it('sigmoid is in [0, 1] and tanh in [-1, 1] for every input, and neither gives NaN for a finite x', () => {
    const s = act.sigmoid(sweep);
    const t = act.tanh(sweep);
    for (let i = 0; i < sweep.length; i++) {
      const x = sweep[i];
      if (Number.isNaN(x)) continue;
      if (!(s[i] >= 0 && s[i] <= 1)) expect.fail(`sigmoid(${showFloat32(x)}) = ${s[i]}`);
      if (!(t[i] >= -1 && t[i] <= 1)) expect.fail(`tanh(${showFloat32(x)}) = ${t[i]}`);
    }
  });

  it('tanh(x) = x exactly for |x| < 2^-12 (and tanh(-x) = -tanh(x) everywhere)', () => {
    const rng = new Rng(0x7a4);
    const x: number[] = [];
    for (let e = -149; e < -12; e++) {
      x.push(2 ** e, -(2 ** e));
      for (let k = 0; k < 64; k++) {
        const v = Math.fround(2 ** e * (1 + rng.next()));
        if (Math.abs(v) < 2 ** -12) x.push(v, -v);
      }
    }
    x.push(Math.fround(2 ** -12 * (1 - 2 ** -24)));
    const input = Float32Array.from(x);
    const y = act.tanh(input);
    for (let i = 0; i < input.length; i++) {
      if (!Object.is(y[i], input[i])) expect.fail(`tanh(${showFloat32(input[i])}) = ${showFloat32(y[i])}`);
    }
    const pos = act.tanh(sweep);
    const neg = act.tanh(sweep.map((v) => -v));
    for (let i = 0; i < sweep.length; i++) {
      if (!Object.is(neg[i], -pos[i]) && !Number.isNaN(pos[i])) {
        expect.fail(`tanh(${showFloat32(-sweep[i])}) = ${neg[i]} but tanh(${showFloat32(sweep[i])}) = ${pos[i]}`);
      }
    }
  });
});

describe('wasm-simd and wasm-scalar', () => {
  let simd: Activations;
  let scalar: Activations;
  beforeAll(async () => {
    simd = await createActivations({ backend: 'wasm-simd' });
    scalar = await createActivations({ backend: 'wasm-scalar' });
  });

  describe.each(elementwiseDefinitions)('$name', (definition) => {
    it.each(paramCases(definition))('are bit-identical on the sweep ($label)', ({ options }) => {
      const a = fn(simd, definition)(sweep, options);
      const b = fn(scalar, definition)(sweep, options);
      const i = firstDifference(a, b);
      expect(i, i < 0 ? '' : `x = ${showFloat32(sweep[i])}: simd ${showFloat32(a[i])}, scalar ${showFloat32(b[i])}`).toBe(-1);
    });

    it('are bit-identical at every boundary length', () => {
      const rng = new Rng(0xb17);
      for (const n of boundaryLengths()) {
        const x = mixedInputs(rng, n);
        const a = fn(simd, definition)(x);
        const b = fn(scalar, definition)(x);
        const i = firstDifference(a, b);
        expect(i, i < 0 ? '' : `n ${n}, x = ${showFloat32(x[i])}: simd ${a[i]}, scalar ${b[i]}`).toBe(-1);
      }
    });
  });
});
