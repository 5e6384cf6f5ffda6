// One array of 2^28 + 3 floats (1 GiB) through the copying path of 'wasm-simd': sigmoid into a
// separate array and relu in place. The input repeats a 1 000 003-float pattern (not a multiple
// of 16, so the pattern's phase moves against the 4096-float chunks) with special values in the
// first and last 20 elements. Checks: ~10^4 sampled positions (the ends and both sides of chunk
// boundaries) against definition.reference, every element against the result of the pattern
// (the kernels are position-independent: wasm-simd and wasm-scalar are bit-identical at every
// length, see elementwise.test.ts), and memory staying at the scratch region whatever the input.
import { describe, expect, it } from 'vitest';
import { createActivations, definitions, type ElementwiseDefinition } from '../src/index.js';
import { defaultParams } from './helpers/activations.js';
import { ELEMENTWISE_CHUNK, mixedInputs, specialValues } from './helpers/inputs.js';
import { Rng } from './helpers/rng.js';
import { describeWorst, maxUlp } from './helpers/ulp.js';

const N = 2 ** 28 + 3;
const PERIOD = 1_000_003;
const EDGE = 20;
const MiB = 1 << 20;

/** Positions checked against the reference: the ends, around chunk boundaries, and random ones. */
function samplePositions(rng: Rng): number[] {
  const positions = new Set<number>();
  for (let i = 0; i < EDGE + 5; i++) {
    positions.add(i);
    positions.add(N - 1 - i);
  }
  const chunks = Math.floor(N / ELEMENTWISE_CHUNK);
  for (let k = 0; k < 1000; k++) {
    const boundary = (k < 10 ? k + 1 : k < 20 ? chunks - (k - 10) : 1 + rng.int(chunks)) * ELEMENTWISE_CHUNK;
    for (let d = -2; d <= 2; d++) if (boundary + d >= 0 && boundary + d < N) positions.add(boundary + d);
  }
  while (positions.size < 10_000) positions.add(rng.int(N));
  return [...positions].sort((a, b) => a - b);
}

/** The first index where the bytes of a and b differ, or -1 (NaN payloads compared exactly). */
function firstByteDifference(a: Float32Array, b: Float32Array): number {
  const ba = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const bb = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (ba.equals(bb)) return -1;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) || ba.readUInt32LE(4 * i) !== bb.readUInt32LE(4 * i)) return i;
  return a.length;
}

/** Every element of y outside the first and last EDGE equals patternResult at its phase; the first index that does not, or -1. */
function firstOffPattern(y: Float32Array, patternResult: Float32Array): number {
  for (let start = 0; start < N; start += PERIOD) {
    const len = Math.min(PERIOD, N - start);
    const from = start === 0 ? EDGE : 0;
    const to = start + len > N - EDGE ? N - EDGE - start : len;
    if (to <= from) continue;
    const i = firstByteDifference(y.subarray(start + from, start + to), patternResult.subarray(from, to));
    if (i >= 0) return start + from + i;
  }
  return -1;
}

function checkSamples(
  definition: ElementwiseDefinition,
  y: Float32Array,
  positions: readonly number[],
  inputs: readonly number[],
  what: string,
): void {
  const actual = positions.map((i) => y[i]);
  const params = defaultParams(definition);
  const exact = inputs.map((v) => definition.reference(v, params));
  const worst = maxUlp(actual, exact, inputs);
  const where = worst.index >= 0 ? ` (element ${positions[worst.index]})` : '';
  expect(worst.ulp, `${definition.name} ${what}: ${describeWorst(worst)}${where}`).toBeLessThanOrEqual(definition.ulp);
}

describe('wasm-simd on one array of 2^28 + 3 floats (1 GiB)', () => {
  it('runs sigmoid (separate out) and relu (in place) through the copying path with scratch-only memory', { timeout: 300_000 }, async () => {
    const acts = await createActivations({ backend: 'wasm-simd' });
    const rng = new Rng(0x1a76e);
    const pattern = mixedInputs(rng, PERIOD);
    const specials = specialValues();

    const x = new Float32Array(N);
    for (let start = 0; start < N; start += PERIOD) x.set(pattern.subarray(0, Math.min(PERIOD, N - start)), start);
    for (let i = 0; i < EDGE; i++) {
      x[i] = specials[(7 * i) % specials.length];
      x[N - 1 - i] = specials[(7 * i + 3) % specials.length];
    }
    const positions = samplePositions(rng);
    const inputs = positions.map((i) => x[i]);
    expect(positions.length).toBeGreaterThanOrEqual(10_000);
    expect(positions[0]).toBe(0);
    expect(positions[positions.length - 1]).toBe(N - 1);

    // sigmoid into a separate array.
    const sigmoid = definitions.sigmoid;
    const patternSigmoid = acts.sigmoid(pattern);
    const out = new Float32Array(N);
    expect(acts.sigmoid(x, { out })).toBe(out);
    checkSamples(sigmoid, out, positions, inputs, 'out of place');
    const changed = firstOffPattern(x, pattern);
    expect(changed, `x changed at ${changed}`).toBe(-1);
    expect(positions.every((p, k) => Object.is(x[p], inputs[k])), 'x changed').toBe(true);
    const off = firstOffPattern(out, patternSigmoid);
    expect(off, off < 0 ? '' : `sigmoid element ${off} (x = ${x[off]}): ${out[off]}, expected ${patternSigmoid[off % PERIOD]}`).toBe(-1);
    expect(acts.memoryStats().reservedBytes, 'memory grew with the input').toBeLessThanOrEqual(MiB);

    // relu in place.
    const relu = definitions.relu;
    const patternRelu = acts.relu(pattern);
    expect(acts.relu(x, { out: x })).toBe(x);
    checkSamples(relu, x, positions, inputs, 'in place');
    const offRelu = firstOffPattern(x, patternRelu);
    expect(offRelu, offRelu < 0 ? '' : `relu element ${offRelu}: ${x[offRelu]}, expected ${patternRelu[offRelu % PERIOD]}`).toBe(-1);

    const stats = acts.memoryStats();
    expect(stats.reservedBytes, 'memory grew with the input').toBeLessThanOrEqual(MiB);
    expect(stats.peakBytes).toBeLessThanOrEqual(MiB);
  });
});
