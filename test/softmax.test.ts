// Softmax (and any other reduction of the registry) on every backend: the ULP contract against
// the definition's float64 reference over each slice, every layout (rows and strided dims of
// any rank), PyTorch's special-row semantics, stability, and inputs crossing the wasm chunking.
import { beforeAll, describe, expect, it } from 'vitest';
import { createActivations, definitions, type Activations, type ReductionDefinition } from '../src/index.js';
import {
  BACKENDS, firstDifference, fn, layoutOf, quotientSoftmax, reductionDefinitions, reductionReference, sliceIndices,
} from './helpers/activations.js';
import { Rng } from './helpers/rng.js';
import { describeWorst, maxUlp, showFloat32, ulpError } from './helpers/ulp.js';

const softmaxDefinition = definitions.softmax;

/** Runs definition on x (of shape, along dim) out of place and in place, checks the ULP bound of both, returns the out-of-place result. */
function checkReduction(
  act: Activations,
  definition: ReductionDefinition,
  x: Float32Array,
  shape: readonly number[] | undefined,
  dim: number | undefined,
  what: string,
  reference: ReductionDefinition['reference'] = definition.reference,
): Float32Array {
  const fullShape = shape ?? [x.length];
  const fullDim = dim ?? -1;
  const exact = reductionReference({ ...definition, reference }, x, fullShape, fullDim);
  const options: Record<string, unknown> = {};
  if (shape !== undefined) options.shape = shape;
  if (dim !== undefined) options.dim = dim;
  const input = x.slice();

  const y = fn(act, definition)(x, options);
  expect(y.length).toBe(x.length);
  expect(firstDifference(x, input), `${what}: input changed`).toBe(-1);
  const worst = maxUlp(y, exact, x);
  expect(worst.ulp, `${definition.name} ${what}: ${describeWorst(worst)}`).toBeLessThanOrEqual(definition.ulp);

  const out = new Float32Array(x.length).fill(7);
  expect(fn(act, definition)(x, { ...options, out })).toBe(out);
  expect(firstDifference(out, y), `${what}: out option differs from the returned array`).toBe(-1);

  const inPlace = x.slice();
  expect(fn(act, definition)(inPlace, { ...options, out: inPlace })).toBe(inPlace);
  const worstInPlace = maxUlp(inPlace, exact, x);
  expect(worstInPlace.ulp, `${definition.name} ${what} in place: ${describeWorst(worstInPlace)}`)
    .toBeLessThanOrEqual(definition.ulp);
  return y;
}

/** Every slice of y sums to 1 within tolerance. */
function expectSlicesSumToOne(y: Float32Array, shape: readonly number[], dim: number, what: string, tolerance = 1e-6): void {
  for (const slice of sliceIndices(shape, dim)) {
    let sum = 0;
    for (const i of slice) sum += y[i];
    if (slice.length > 0 && !(Math.abs(sum - 1) <= tolerance)) {
      expect.fail(`${what}: slice starting at ${slice[0]} sums to ${sum}`);
    }
  }
}

function logits(rng: Rng, n: number, range: number): Float32Array {
  return rng.float32Array(n, -range, range);
}

/** Every layout of a shape: each dim, positive and negative. */
function dimsOf(shape: readonly number[]): number[] {
  const dims: number[] = [];
  for (let d = 0; d < shape.length; d++) dims.push(d, d - shape.length);
  return dims;
}

const ROW_LENGTHS = [...Array.from({ length: 40 }, (_, i) => i + 1), 63, 64, 65, 100, 1000, 1024];
const SHAPES: readonly (readonly number[])[] = [
  [32, 10], [2, 3, 4], [5, 1, 7], [1, 1], [1, 9], [9, 1], [4, 5], [3, 4], [7, 3], [2, 16, 9], [3, 2, 2, 5], [6, 33],
];
const EMPTY_SHAPES: readonly (readonly number[])[] = [[0], [0, 5], [5, 0], [2, 0, 3], [0, 0]];

describe.each(BACKENDS)('%s', (backend) => {
  let act: Activations;
  beforeAll(async () => {
    act = await createActivations({ backend });
    expect(act.backend).toBe(backend);
  });

  describe.each(reductionDefinitions)('$name', (definition) => {
    it.each([20, 100])('is within its ULP bound on rows of length 1…40, 63–65, 100, 1000, 1024 (logits in ±%i)', (range) => {
      const rng = new Rng(0x50f7 + range);
      for (const n of ROW_LENGTHS) {
        checkReduction(act, definition, logits(rng, n, range), undefined, undefined, `one row of ${n}`);
        checkReduction(act, definition, logits(rng, 3 * n, range), [3, n], -1, `[3, ${n}] dim -1`);
        checkReduction(act, definition, logits(rng, 3 * n, range), [3, n], 1, `[3, ${n}] dim 1`);
        checkReduction(act, definition, logits(rng, 3 * n, range), [n, 3], 0, `[${n}, 3] dim 0`);
        checkReduction(act, definition, logits(rng, 6 * n, range), [n, 6], 0, `[${n}, 6] dim 0`);
      }
    });

    it.each(SHAPES.map((s) => [s]))('is within its ULP bound along every dim of %j', (shape) => {
      const rng = new Rng(shape.reduce((a, b) => a * 31 + b, 7));
      const size = shape.reduce((a, b) => a * b, 1);
      for (const dim of dimsOf(shape)) {
        checkReduction(act, definition, logits(rng, size, 20), shape, dim, `shape ${JSON.stringify(shape)} dim ${dim}`);
      }
    });

    it.each(EMPTY_SHAPES.map((s) => [s]))('returns an empty array for the empty shape %j', (shape) => {
      for (const dim of dimsOf(shape)) {
        const y = fn(act, definition)(new Float32Array(0), { shape, dim });
        expect(y).toBeInstanceOf(Float32Array);
        expect(y.length).toBe(0);
      }
      expect(fn(act, definition)([]).length).toBe(0);
    });

    // PyTorch's special values, as the definition's reference gives them (softmax: −∞ → 0;
    // softmin: +∞ → 0; logSoftmax: −∞ → −∞; NaN, +∞ (softmin: −∞) or all −∞ (softmin: all +∞):
    // a NaN slice), along the last dim and a strided one, each slice of length n.
    it.each([1, 2, 3, 4, 5, 8, 17, 37])('gives the special values of its reference in special slices of length %i', (n) => {
      const rng = new Rng(0x5bec + n);
      const specials = [NaN, Infinity, -Infinity];
      const rows = 8;
      const x = new Float32Array(rows * n);
      for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-20, 20);
      x.fill(-Infinity, n, 2 * n);
      x.fill(Infinity, 2 * n, 3 * n);
      for (let r = 3; r < rows; r++) {
        for (let k = 0; k < n; k += 2) x[r * n + k] = rng.pick(specials.slice(r % 3 === 0 ? 2 : 1));
      }
      const transposed = new Float32Array(rows * n);
      for (let r = 0; r < rows; r++) for (let k = 0; k < n; k++) transposed[k * rows + r] = x[r * n + k];
      for (const [input, shape, dim] of [[x, [rows, n], -1], [transposed, [n, rows], 0]] as Array<[Float32Array, number[], number]>) {
        const y = fn(act, definition)(input, { shape, dim });
        const exact = reductionReference(definition, input, shape, dim);
        for (let i = 0; i < y.length; i++) {
          const e = exact[i];
          if (Number.isNaN(e) !== Number.isNaN(y[i])) expect.fail(`${JSON.stringify(shape)} dim ${dim} [${i}]: got ${y[i]}, exact ${e}`);
          if ((e === 0 || !Number.isFinite(e)) && !Number.isNaN(e) && !(y[i] === e)) {
            expect.fail(`${JSON.stringify(shape)} dim ${dim} [${i}]: got ${showFloat32(y[i])}, exact ${e}`);
          }
        }
        const worst = maxUlp(y, exact, input);
        expect(worst.ulp, describeWorst(worst)).toBeLessThanOrEqual(definition.ulp);
      }
    });

    it('is within its bound for one dominant logit (the others e^-30 to e^-100 of it)', () => {
      const rng = new Rng(0xd0);
      for (const n of [2, 3, 7, 64, 1024]) {
        for (const gap of [30, 60, 80, 90, 100]) {
          const x = new Float32Array(n);
          for (let i = 0; i < n; i++) x[i] = rng.uniform(-gap - 10, -gap);
          x[rng.int(n)] = rng.uniform(-5, 5);
          if (definition.name === 'softmin') for (let i = 0; i < n; i++) x[i] = -x[i]; // its dominant logit is the smallest
          checkReduction(act, definition, x, [1, n], -1, `dominant row of ${n}, gap ${gap}`);
          checkReduction(act, definition, x, [n, 1], 0, `dominant column of ${n}, gap ${gap}`);
        }
      }
    });

    // wasm-simd takes x - max by Fast2Sum in rows whose |x| stay below the max's next power of
    // two, and by TwoSum otherwise; both must give the same bits. A row of 1024 (no remainder
    // in the 16-element loop) and the same row with one entry far below appended (which sends it
    // down the TwoSum path and adds an exact 0 to the sum) must agree bit for bit.
    it('gives the same bits whichever way it takes x - max (one far-below entry appended)', () => {
      const rng = new Rng(0xf25);
      const far = definition.name === 'softmin' ? 1e30 : -1e30; // softmin negates x
      for (const [low, high] of [[-6, 6], [-1, 1], [0.5, 1.5], [-3.9, 4.1], [-0.01, 0.02], [100, 160], [-2000, 3000], [-15.99, 8.5], [-5.9, 1.5], [-30, 3], [-0.3, 0.1]]) {
        for (let trial = 0; trial < 8; trial++) {
          const row = rng.float32Array(1024, low, high);
          if (definition.name === 'softmin') for (let i = 0; i < row.length; i++) row[i] = -row[i];
          const longer = new Float32Array(1025);
          longer.set(row);
          longer[1024] = far;
          const y = fn(act, definition)(row) as Float32Array;
          const yLonger = fn(act, definition)(longer) as Float32Array;
          const at = firstDifference(y, yLonger.subarray(0, 1024));
          expect(at, `[${low}, ${high}] trial ${trial}: differs at ${at}: ${y[at]} against ${yLonger[at]}`).toBe(-1);
        }
      }
    });

    // Softmax and softmin rows with |max| <= 200 take e^(x - k ln2) instead of e^(x - max)
    // (assembly/softmax_shifted.ts), whose largest term is not exactly 1; the last pass puts back
    // the values PyTorch gives exactly. Without that fix-up, 15% of these maxima gave 0.99999994.
    it('gives exactly 1 for one entry or a dominant one, and 1/2, 1/4 for ties, at any maximum', () => {
      const rng = new Rng(0x5f1);
      const sign = definition.name === 'softmin' ? -1 : 1; // softmin's dominant entry is its smallest
      const maxima = [0, -0, 1, -1, 200, -200, 199.99, 0.5, ...Array.from({ length: 300 }, () => rng.uniform(-210, 210))];
      for (const m of maxima) {
        const v = Math.fround(m);
        const expectExactly = (x: number[], expected: number[], what: string) => {
          const y = fn(act, definition)(Float32Array.from(x, (t) => sign * t)) as Float32Array;
          const logY = definition.name === 'logSoftmax';
          expected.forEach((e, i) => {
            const want = logY ? Math.fround(Math.log(e)) : e;
            if (Number.isNaN(y[i]) || (e === 1 || e === 0.5 || e === 0.25 ? y[i] !== want : false)) {
              expect.fail(`${definition.name}(${what}) at max ${v}: entry ${i} is ${showFloat32(y[i])}, expected ${want}`);
            }
          });
        };
        expectExactly([v], [1], '[m]');
        expectExactly([v, v], [0.5, 0.5], '[m, m]');
        expectExactly([v, v, v, v], [0.25, 0.25, 0.25, 0.25], '[m, m, m, m]');
        if (definition.name === 'logSoftmax') continue; // its dominant entry is log(1 - tiny), not 0
        const n = [2, 5, 64, 67][rng.int(4)];
        const dominant = Array.from({ length: n }, () => v - rng.uniform(40, 80));
        const at = rng.int(n);
        dominant[at] = v;
        const expected = dominant.map((_, i) => (i === at ? 1 : NaN));
        expectExactly(dominant, expected, `a dominant entry of ${n}`);
      }
    });

    it('is within its bound on both sides of |max| = 200, where the row path changes', () => {
      const rng = new Rng(0x200);
      const sign = definition.name === 'softmin' ? -1 : 1;
      for (const top of [199.5, 199.99, 200, 200.01, 201, -199.99, -200.01, 150, 250]) {
        for (const n of [7, 64, 1024]) {
          const x = Float32Array.from({ length: n }, () => sign * (top - rng.uniform(0, 40)));
          x[rng.int(n)] = sign * top;
          checkReduction(act, definition, x, [1, n], -1, `a row of ${n} with max ${top}`);
        }
      }
    });

    // wasm-simd takes whole groups of four short rows (softmax and softmin: shorter than 16;
    // log-softmax: than 32) at a time, one per lane (assembly/softmax_lanes.ts), the last one to
    // three rows and some others through the row loop (softmax and softmin: a maximum beyond ±200,
    // NaN or +Infinity; log-softmax: a maximum that is not finite, or one dominant logit): a row
    // must come out the same whatever its neighbours, the number of rows and its place among them.
    it('gives each short row the same bits as that row alone, whatever its neighbours', () => {
      const rng = new Rng(0x1a5e);
      const sign = definition.name === 'softmin' ? -1 : 1;
      const oddRow = (n: number, kind: number): number[] => {
        const row = Array.from({ length: n }, () => sign * rng.uniform(-20, 20));
        if (kind === 1) row[rng.int(n)] = sign * rng.uniform(201, 400); // maximum past 200
        if (kind === 2) row[rng.int(n)] = NaN;
        if (kind === 3) row[rng.int(n)] = sign * Infinity;
        if (kind === 4) row.fill(-sign * Infinity);
        if (kind === 5) row.fill(sign * 7); // a tie across the row
        if (kind === 6) row[rng.int(n)] = sign * 60; // one dominant logit
        return row;
      };
      for (const n of [1, 2, 3, 4, 5, 7, 10, 15, 16, 17, 23, 24, 25, 31, 32]) {
        for (const rows of [1, 2, 3, 4, 5, 6, 7, 8, 9, 13]) {
          const x = Float32Array.from(Array.from({ length: rows }, () => oddRow(n, rng.int(3) === 0 ? rng.int(7) : 0)).flat());
          const y = fn(act, definition)(x, { shape: [rows, n] }) as Float32Array;
          const inPlace = x.slice();
          fn(act, definition)(inPlace, { shape: [rows, n], out: inPlace });
          for (let r = 0; r < rows; r++) {
            const alone = fn(act, definition)(x.subarray(r * n, r * n + n)) as Float32Array;
            for (const [got, what] of [[y, 'out of place'], [inPlace, 'in place']] as const) {
              const at = firstDifference(got.subarray(r * n, r * n + n), alone);
              expect(at, `[${rows}, ${n}] ${what}: row ${r} entry ${at}: ${got[r * n + at]} against ${alone[at]}`).toBe(-1);
            }
          }
        }
      }
    });

    // Along a dim that is not the last, wasm-simd walks 16 neighbouring columns at a time where
    // it can, then 4 (one per lane), then 1; a column must come out the same either way. The
    // reference: the column four times over, [n, 4] along dim 0 (the four-column walk).
    it('gives each column of a strided layout the same bits as four copies of it', () => {
      const rng = new Rng(0x51de);
      for (const [n, inner] of [[5, 20], [16, 37], [64, 1024], [3, 48]]) {
        const x = rng.float32Array(n * inner, -30, 30);
        const y = fn(act, definition)(x, { shape: [n, inner], dim: 0 }) as Float32Array;
        for (let c = 0; c < inner; c++) {
          const four = Float32Array.from({ length: 4 * n }, (_, i) => x[Math.floor(i / 4) * inner + c]);
          const ref = fn(act, definition)(four, { shape: [n, 4], dim: 0 }) as Float32Array;
          const alone = Float32Array.from({ length: n }, (_, d) => ref[4 * d]);
          const got = Float32Array.from({ length: n }, (_, d) => y[d * inner + c]);
          const at = firstDifference(got, alone);
          expect(at, `[${n}, ${inner}] column ${c}: row ${at}: ${got[at]} against ${alone[at]}`).toBe(-1);
        }
      }
    });

    it('is correct on inputs that cross the wasm chunking', () => {
      const rng = new Rng(0xc4c);
      const cases: Array<[readonly number[], number]> = [
        [[3000, 10], -1], [[3000, 10], 0], [[3, 20000], 0], [[3, 20000], 1], [[20000], 0], [[1, 20000], -1],
        [[20000, 3], 0], [[7, 3000, 2], 1], [[5, 4000], 1], [[2, 9000], 0], [[16385], -1], [[4097, 4], -1],
      ];
      for (const [shape, dim] of cases) {
        const size = shape.reduce((a, b) => a * b, 1);
        checkReduction(act, definition, logits(rng, size, 20), shape, dim, `shape ${JSON.stringify(shape)} dim ${dim}`);
      }
    });
  });

  describe('softmax', () => {
    it('sums to 1 along every slice of every shape', () => {
      const rng = new Rng(0x5a5a);
      for (const shape of [...SHAPES, [3000, 10], [3, 20000], [1, 1024]]) {
        const size = shape.reduce((a, b) => a * b, 1);
        for (const range of [20, 100]) {
          const x = logits(rng, size, range);
          for (const dim of dimsOf(shape)) {
            expectSlicesSumToOne(act.softmax(x, { shape, dim }), shape, dim, `shape ${JSON.stringify(shape)} dim ${dim}`);
          }
        }
      }
    });

    it("gives the tutorial's softmax([1, 2, 3]) ≈ [0.09003057, 0.24472847, 0.66524096]", () => {
      const exact = [0.090030573170380457998022101484, 0.24472847105479765247295961834, 0.665240955774821889529018280174];
      for (const x of [[1, 2, 3], new Float32Array([1, 2, 3]), new Float64Array([1, 2, 3])]) {
        const y = act.softmax(x);
        expect(y).toBeInstanceOf(Float32Array);
        exact.forEach((e, i) => expect(ulpError(y[i], e), `[${i}] = ${y[i]}`).toBeLessThanOrEqual(softmaxDefinition.ulp));
      }
    });

    it('runs the batch example: 32 × 10 logits with dim 1', () => {
      const x = logits(new Rng(32), 320, 5);
      const y = checkReduction(act, softmaxDefinition, x, [32, 10], 1, 'batch [32, 10] dim 1');
      expectSlicesSumToOne(y, [32, 10], 1, 'batch');
      // Each row's argmax is the argmax of its logits.
      for (let r = 0; r < 32; r++) {
        const row = Array.from(x.subarray(r * 10, r * 10 + 10));
        const out = Array.from(y.subarray(r * 10, r * 10 + 10));
        expect(out.indexOf(Math.max(...out))).toBe(row.indexOf(Math.max(...row)));
      }
    });

    it('is exact at simple points', () => {
      const cases: Array<[number[], number[]]> = [
        [[5], [1]], [[-1e30], [1]], [[0, 0], [0.5, 0.5]], [[3, 3, 3, 3], [0.25, 0.25, 0.25, 0.25]],
        [[1e30, -1e30, 1e30, 0], [0.5, 0, 0.5, 0]], [[-Infinity, 2], [0, 1]], [[7, -Infinity, -Infinity, 7], [0.5, 0, 0, 0.5]],
        [[3.4028234663852886e38, -3.4028234663852886e38], [1, 0]],
      ];
      for (const [x, expected] of cases) {
        const y = act.softmax(x);
        expected.forEach((e, i) => {
          if (!Object.is(y[i], e)) expect.fail(`softmax(${JSON.stringify(x)})[${i}] = ${showFloat32(y[i])}, expected ${e}`);
        });
      }
    });

    // Against quotientSoftmax, not definition.reference: the registry's log-sum-exp reference is
    // wrong for huge maxima (see 'the softmax reference' below).
    it('is stable for logits of ±1e30 mixed with finite ones (no NaN, sums to 1)', () => {
      const rng = new Rng(0x1e30);
      for (const n of [2, 5, 16, 17, 37, 100]) {
        const x = new Float32Array(n);
        for (let i = 0; i < n; i++) x[i] = rng.pick([1e30, -1e30, rng.uniform(-50, 50), -3.4e38, 3.4e38]);
        x[rng.int(n)] = 1e30;
        for (const [shape, dim] of [[[n], -1], [[1, n], 0], [[n, 1], 0]] as Array<[number[], number]>) {
          const y = checkReduction(
            act, softmaxDefinition, x, shape, dim, `±1e30 row of ${n} as ${JSON.stringify(shape)} dim ${dim}`, quotientSoftmax,
          );
          expect(y.some(Number.isNaN)).toBe(false);
          expectSlicesSumToOne(y, shape, dim, `±1e30 row of ${n}`);
        }
      }
    });

    describe.each([1, 2, 3, 4, 5, 8, 17, 37])('special rows of length %i', (n) => {
      // Rows: 0 random, 1 all -Inf, 2 holds +Inf, 3 holds NaN, 4 random with -Inf entries, 5 random.
      function rows(rng: Rng): Float32Array {
        const x = new Float32Array(6 * n);
        for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-20, 20);
        x.fill(-Infinity, n, 2 * n);
        x[2 * n + rng.int(n)] = Infinity;
        x[3 * n + rng.int(n)] = NaN;
        for (let k = 0; k < n; k += 2) x[4 * n + k] = -Infinity;
        if (n > 1) x[4 * n + 1] = 4; // keep one finite entry in row 4
        else x[4 * n] = 4;
        return x;
      }

      function check(y: Float32Array, x: Float32Array, at: (row: number, k: number) => number, what: string): void {
        for (let k = 0; k < n; k++) {
          for (const row of [1, 2, 3]) {
            if (!Number.isNaN(y[at(row, k)])) expect.fail(`${what}: row ${row} entry ${k} = ${y[at(row, k)]}, expected NaN`);
          }
          for (const row of [0, 4, 5]) {
            const v = y[at(row, k)];
            if (Number.isNaN(v)) expect.fail(`${what}: row ${row} entry ${k} is NaN`);
            if (x[at(row, k)] === -Infinity && !Object.is(v, 0)) expect.fail(`${what}: -Infinity gave ${showFloat32(v)}`);
          }
        }
      }

      it('give NaN rows for all -Inf, +Inf or NaN, exactly 0 for -Inf entries, and leave other rows right (dim -1)', () => {
        const rng = new Rng(0x5e + n);
        const x = rows(rng);
        const y = checkReduction(act, softmaxDefinition, x, [6, n], -1, `special rows of ${n}`);
        check(y, x, (row, k) => row * n + k, `[6, ${n}] dim -1`);
        for (const row of [0, 4, 5]) expectSlicesSumToOne(y.subarray(row * n, row * n + n), [n], -1, `row ${row}`);
      });

      it('do the same along a strided dim (the rows as columns)', () => {
        const rng = new Rng(0x5f + n);
        const rowMajor = rows(rng);
        for (const order of [[0, 1, 2, 3, 4, 5], [1, 2, 3, 0, 4, 5], [0, 4, 5, 1, 2, 3], [5, 4, 3, 2, 1, 0]]) {
          // Column c of the [n, 6] transpose is row order[c].
          const x = new Float32Array(6 * n);
          for (let k = 0; k < n; k++) for (let c = 0; c < 6; c++) x[k * 6 + c] = rowMajor[order[c] * n + k];
          const y = checkReduction(act, softmaxDefinition, x, [n, 6], 0, `special columns of ${n}, order ${order}`);
          check(y, x, (row, k) => k * 6 + order.indexOf(row), `[${n}, 6] dim 0, order ${order}`);
        }
      });
    });
  });
});

describe('the softmax reference (definition.reference)', () => {
  const reference = softmaxDefinition.reference;

  it('agrees with the independent quotient form within 0.01 ULP on ordinary logits', () => {
    const rng = new Rng(0xacc);
    for (const n of [1, 2, 3, 10, 100, 1024]) {
      for (const range of [1, 20, 100]) {
        const row = Array.from(logits(rng, n, range));
        const a = reference(row, {});
        const b = quotientSoftmax(row);
        const worst = maxUlp(a, b, row);
        expect(worst.ulp, `row of ${n} in ±${range}: ${describeWorst(worst)}`).toBeLessThanOrEqual(0.01);
      }
    }
  });

  it('gives the special rows of PyTorch', () => {
    expect(reference([-Infinity, -Infinity], {}).every(Number.isNaN)).toBe(true);
    expect(reference([1, Infinity], {}).every(Number.isNaN)).toBe(true);
    expect(reference([1, NaN, 2], {}).every(Number.isNaN)).toBe(true);
    expect(reference([-Infinity, 0], {})).toEqual([0, 1]);
  });

  // The spec promises a reference exact to well under 0.01 ULP of float32; its log-sum-exp form
  // computes max + log(sum) in float64, which drops log(sum) once ulp(max) is comparable to it.
  it.each([1e30, -1e30, 1e12, 3.4e38])('is exact for a tie of two logits of %s: [0.5, 0.5]', (v) => {
    const x = Math.fround(v);
    const y = reference([x, x], {});
    for (const e of y) expect(ulpError(e, 0.5), `reference([${x}, ${x}]) = [${y}]`).toBeLessThanOrEqual(0.01);
  });
});

// The scalar build walks every strided column one at a time (softmaxColumn); the simd build walks
// 16 or 4 columns across its lanes and the last few one at a time. Each column's sum is formed in
// the same order either way (two steps along the axis, their terms added first), so the two
// builds must give the same bits; a sum order that differs changes 1 / sum in about one column
// in three.
describe('a strided dim on wasm-simd and wasm-scalar', () => {
  it('gives the same bits on both builds', async () => {
    const simd = await createActivations({ backend: 'wasm-simd' });
    const scalar = await createActivations({ backend: 'wasm-scalar' });
    const rng = new Rng(0x5ca1);
    for (const definition of reductionDefinitions) {
      for (const [shape, dim] of [[[3, 57, 21], 1], [[2, 300, 37], 1], [[40, 2, 5], 0], [[9, 64, 20], -2]] as const) {
        const x = logits(rng, shape.reduce((a, b) => a * b, 1), 40);
        x[5] = Number.NEGATIVE_INFINITY;
        const a = fn(simd, definition)(x, { shape, dim }) as Float32Array;
        const b = fn(scalar, definition)(x, { shape, dim }) as Float32Array;
        const at = firstDifference(a, b);
        expect(at, `${definition.name} ${JSON.stringify(shape)} dim ${dim}: at ${at}: ${a[at]} (simd) against ${b[at]} (scalar)`).toBe(-1);
      }
    }
  });

  // The backward passes along a strided dim: softmax's and softmin's fast path per column (the
  // simd build's lanes, the scalar build's columns one by one) and the compensated path where a
  // column fails the check (dy constant along the axis, dy = 0, one column of each in a block
  // of random ones), apart and in place.
  it('gives the same bits on both builds for the backward passes', async () => {
    const simd = await createActivations({ backend: 'wasm-simd' });
    const scalar = await createActivations({ backend: 'wasm-scalar' });
    const rng = new Rng(0xbac4);
    for (const definition of reductionDefinitions) {
      const forward = fn(simd, definition);
      const backward = (act: Activations) => (act as unknown as Record<string, (...args: unknown[]) => Float32Array>)[`${definition.name}Backward`];
      for (const [shape, dim] of [[[3, 57, 21], 1], [[2, 300, 37], 1], [[40, 2, 5], 0], [[9, 64, 20], -2]] as const) {
        const size = shape.reduce((a, b) => a * b, 1);
        const { inner } = layoutOf(shape, dim);
        const y = forward(logits(rng, size, 20), { shape, dim }) as Float32Array;
        const dys = [
          rng.float32Array(size, -4, 4),
          new Float32Array(size).fill(1.5),
          new Float32Array(size),
          // Columns 3 and 17 of each block constant (they fail the check), the rest random.
          rng.float32Array(size, -4, 4).map((v, i) => (i % inner === 3 || i % inner === 17 ? 0.75 : v)),
        ];
        for (const [k, dy] of dys.entries()) {
          const what = `${definition.name}Backward ${JSON.stringify(shape)} dim ${dim} dy #${k}`;
          const a = backward(simd)(dy, y, { shape, dim });
          const b = backward(scalar)(dy, y, { shape, dim });
          let at = firstDifference(a, b);
          expect(at, `${what}: at ${at}: ${a[at]} (simd) against ${b[at]} (scalar)`).toBe(-1);
          const inPlace = dy.slice();
          backward(simd)(inPlace, y, { shape, dim, out: inPlace });
          at = firstDifference(inPlace, a);
          expect(at, `${what} in place: at ${at}: ${inPlace[at]} against ${a[at]}`).toBe(-1);
        }
      }
    }
  });
});

describe('the test layout helper', () => {
  it('agrees with the documented [outer, n, inner] view', () => {
    expect(layoutOf([2, 3, 4], 1)).toEqual({ outer: 2, n: 3, inner: 4 });
    expect(layoutOf([2, 3, 4], -1)).toEqual({ outer: 6, n: 4, inner: 1 });
    expect(layoutOf([2, 3, 4], -3)).toEqual({ outer: 1, n: 2, inner: 12 });
  });
});

// src/runtime/validate.ts, sliceLayout: one pass over the shape, and the errors in a fixed order
// (the shape's type, an entry, the rank, the product, then dim), each naming what is wrong.
describe('shape and dim checks', () => {
  let acts: Activations;
  beforeAll(async () => {
    acts = await createActivations({ backend: 'wasm-simd' });
  });
  const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
  it.each([
    ['a shape that is no Array, before a bad dim', { shape: 'ab', dim: 5 }, TypeError, /^shape must be an Array of integers; got string ab$/],
    ['a bad entry, before a bad dim', { shape: [2, -1, 3], dim: 7 }, RangeError, /^shape\[1\] must be a non-negative integer; got -1$/],
    ['an entry that is no integer', { shape: [2, 1.5] }, RangeError, /^shape\[1\] must be a non-negative integer; got 1.5$/],
    ['rank 0, before a bad dim', { shape: [], dim: 0 }, RangeError, /^shape must have at least one dimension$/],
    ['the product, before a bad dim', { shape: [4, 2], dim: 'a' }, RangeError, /^shape \[4, 2\] holds 8 elements but x has 6$/],
    ['a dim that is no integer', { shape: [2, 3], dim: 'a' }, TypeError, /^dim must be an integer; got string a$/],
    ['a dim out of range', { shape: [2, 3], dim: 2 }, RangeError, /^dim must be in \[-2, 1\] for a shape of rank 2; got 2$/],
    ['a dim out of range below', { shape: [2, 3], dim: -3 }, RangeError, /^dim must be in \[-2, 1\] for a shape of rank 2; got -3$/],
    ['a dim without a shape', { dim: 1 }, RangeError, /^dim must be in \[-1, 0\] for a shape of rank 1; got 1$/],
  ] as const)('%s', (_label, options, error, message) => {
    const out = new Float32Array(6).fill(7);
    expect(() => acts.softmax(x, { ...options, out } as never)).toThrow(error);
    expect(() => acts.softmax(x, { ...options, out } as never)).toThrow(message);
    expect(Array.from(out)).toEqual([7, 7, 7, 7, 7, 7]);
  });

  it('runs each dim of a valid shape on the slices it names', () => {
    const rows = acts.softmax(x, { shape: [2, 3] }); // rows of 3
    const columns = acts.softmax(x, { shape: [2, 3], dim: 0 }); // pairs 3 apart
    const all = acts.softmax(x, { shape: [1, 2, 3], dim: -3 }); // slices of 1: each 1
    expect(Array.from(rows)).toEqual(Array.from(acts.softmax(x.subarray(0, 3))).concat(Array.from(acts.softmax(x.subarray(3)))));
    expect(columns[0] + columns[3]).toBeCloseTo(1, 6);
    expect(columns[2]).toBeCloseTo(1 / (1 + Math.E ** 3), 6);
    expect(Array.from(all)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('gives prelu one channel for a shape of rank 1 and the channels of dim 1 otherwise', () => {
    expect(Array.from(acts.prelu(Float32Array.from([-2, -2, -2, -2, -2, -2]), { weight: [0.5, 0.25, 1], shape: [2, 3] })))
      .toEqual([-1, -0.5, -2, -1, -0.5, -2]);
    expect(Array.from(acts.prelu(Float32Array.from([-2, -2]), { weight: [0.5], shape: [2] }))).toEqual([-1, -1]);
    expect(() => acts.prelu(x, { weight: 0.5, shape: [] })).toThrow(/^shape must have at least one dimension$/);
    expect(() => acts.prelu(x, { weight: 0.5, shape: [3, 3] })).toThrow(/^shape \[3, 3\] holds 9 elements but x has 6$/);
  });
});
