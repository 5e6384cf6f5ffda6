// The core of `wasm-activations accuracy`: run an element-wise activation of the registry on
// float32 inputs given as bit patterns, compare each result with the definition's float64
// reference, and keep the statistics the report needs. Used by the sweep's workers (every
// pattern, 2^32) and, in sample mode, by the CI test (a stratified sample).
import { createActivationsSync, type Activations } from '../../src/instance.js';
import { isChoiceParam, type AnyParamSpec, type Backend, type ChannelwiseDefinition, type ElementwiseDefinition, type ParamValues } from '../../src/spec.js';
import { ulpError } from '../../src/ulp.js';
import { mulberry32 } from '../inputs.js';

/** Upper edges of the histogram's buckets, in ULP: 0, ≤0.5, ≤1, ≤2, ≤4, and the rest. */
export const BUCKET_EDGES = [0, 0.5, 1, 2, 4] as const;
/** Labels of the buckets. */
export const BUCKET_LABELS = ['0', '≤0.5', '≤1', '≤2', '≤4', '>4'] as const;

/** What a sweep found. */
export interface SweepStats {
  /** Inputs checked. */
  count: number;
  /** The largest error in ULP over the inputs without a mismatch, and the input (bits) there. */
  maxUlp: number;
  maxAtBits: number;
  /** Count per bucket of BUCKET_LABELS. */
  histogram: number[];
  /** NaN where the exact value is not, or a number where it is NaN. */
  nanMismatch: number;
  /** An infinity that is not the exact value's (or its correct rounding to float32). */
  infMismatch: number;
  /** A nonzero result of the wrong sign. */
  signMismatch: number;
  /** The first few mismatching inputs (bits), to reproduce. */
  mismatchBits: number[];
}

/** Statistics of no inputs. */
export function emptyStats(): SweepStats {
  return { count: 0, maxUlp: 0, maxAtBits: 0, histogram: BUCKET_LABELS.map(() => 0), nanMismatch: 0, infMismatch: 0, signMismatch: 0, mismatchBits: [] };
}

/** The statistics of two disjoint sweeps together. */
export function mergeStats(a: SweepStats, b: SweepStats): SweepStats {
  const worse = b.maxUlp > a.maxUlp ? b : a;
  return {
    count: a.count + b.count,
    maxUlp: worse.maxUlp,
    maxAtBits: worse.maxAtBits,
    histogram: a.histogram.map((v, i) => v + b.histogram[i]),
    nanMismatch: a.nanMismatch + b.nanMismatch,
    infMismatch: a.infMismatch + b.infMismatch,
    signMismatch: a.signMismatch + b.signMismatch,
    mismatchBits: [...a.mismatchBits, ...b.mismatchBits].slice(0, 8),
  };
}

/** Mismatches of every kind. */
export function mismatches(stats: SweepStats): number {
  return stats.nanMismatch + stats.infMismatch + stats.signMismatch;
}

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** The float32 with these bits. */
export function fromBits(bits: number): number {
  scratchBits[0] = bits >>> 0;
  return scratch[0];
}

function bucket(ulp: number): number {
  for (let i = 0; i < BUCKET_EDGES.length; i++) if (ulp <= BUCKET_EDGES[i]) return i;
  return BUCKET_EDGES.length;
}

/** Forward: f(x) against the reference; backward: f'(x) (dy = 1) against the derivative. */
export type Direction = 'forward' | 'backward';

/** Adds the comparison of results y with the references of inputs x to `stats`. */
export function accumulate(
  definition: ElementwiseDefinition, params: ParamValues, x: Float32Array, y: Float32Array, stats: SweepStats,
  direction: Direction = 'forward',
): void {
  const bits = new Uint32Array(x.buffer, x.byteOffset, x.length);
  const exactOf = direction === 'forward' ? definition.reference : definition.derivative;
  for (let i = 0; i < x.length; i++) {
    const exact = exactOf(x[i], params);
    const got = y[i];
    let kind: 'nan' | 'inf' | 'sign' | null = null;
    if (Number.isNaN(exact) !== Number.isNaN(got)) kind = 'nan';
    else if (!Number.isNaN(exact)) {
      const infinite = !Number.isFinite(exact) || !Number.isFinite(got);
      if (infinite && got !== exact && Math.fround(exact) !== got) kind = 'inf';
      else if (got !== 0 && exact !== 0 && (got < 0) !== (exact < 0)) kind = 'sign';
    }
    if (kind) {
      if (kind === 'nan') stats.nanMismatch++;
      else if (kind === 'inf') stats.infMismatch++;
      else stats.signMismatch++;
      if (stats.mismatchBits.length < 8) stats.mismatchBits.push(bits[i]);
      continue;
    }
    const ulp = ulpError(got, exact);
    stats.histogram[bucket(ulp)]++;
    if (ulp > stats.maxUlp) {
      stats.maxUlp = ulp;
      stats.maxAtBits = bits[i];
    }
  }
  stats.count += x.length;
}

/**
 * What the sweep runs of a definition: an element-wise one as it is, with its default params; a
 * per-channel one (prelu) with one weight, its example weight, for every element, seen as an
 * element-wise definition of that weight (reference and derivative at w), and the options that
 * pass the weight.
 */
export function sweptDefinition(definition: ElementwiseDefinition | ChannelwiseDefinition): {
  definition: ElementwiseDefinition;
  params: ParamValues;
  options: ParamValues;
} {
  if (definition.kind === 'elementwise') {
    const params: ParamValues = Object.fromEntries(Object.entries(definition.params).map(([k, spec]) => [k, (spec as AnyParamSpec).default]));
    return { definition, params, options: params };
  }
  const w = Math.fround(definition.exampleWeight);
  const view = {
    ...definition,
    kind: 'elementwise',
    reference: (x: number) => definition.reference(x, w),
    derivative: (x: number) => definition.derivative(x, w),
  } as unknown as ElementwiseDefinition;
  return { definition: view, params: {}, options: { weight: w } };
}

/** Floats per batch a sweeper runs at once. */
export const BATCH = 1 << 20;

/**
 * Runs one definition on one backend over batches of bit patterns: its forward pass, or its
 * backward pass with dy = 1 (so dx is f'(x) itself, compared with the float64 derivative).
 */
export class Sweeper {
  private readonly activations: Activations;
  private readonly x = new Float32Array(BATCH);
  private readonly y = new Float32Array(BATCH);
  private readonly ones = new Float32Array(BATCH).fill(1);
  private readonly bits = new Uint32Array(this.x.buffer);
  private readonly params: ParamValues;
  /** The options of each call: the params, or a per-channel definition's weight. */
  private readonly options: ParamValues;
  /** The definition the results are compared with (a per-channel one as element-wise at its weight). */
  private readonly swept: ElementwiseDefinition;

  /** `params`: the values swept (default: the definition's defaults; see {@link sweepVariants}). */
  constructor(
    readonly definition: ElementwiseDefinition | ChannelwiseDefinition,
    readonly backend: Backend,
    readonly direction: Direction = 'forward',
    params?: ParamValues,
  ) {
    this.activations = createActivationsSync({ backend });
    const swept = sweptDefinition(definition);
    this.swept = swept.definition;
    // A per-channel definition is swept at its example weight, whatever the variant.
    const own = definition.kind === 'channelwise' ? undefined : params;
    this.params = own ?? swept.params;
    this.options = own ?? swept.options;
  }

  private run(n: number, stats: SweepStats): void {
    const x = this.x.subarray(0, n);
    const y = this.y.subarray(0, n);
    if (this.direction === 'forward') {
      const fn = this.activations[this.definition.name as 'relu'] as (x: Float32Array, o: { out: Float32Array }) => Float32Array;
      fn(x, { ...this.options, out: y });
    } else {
      const fn = this.activations[`${this.definition.name}Backward` as 'reluBackward'] as (dy: Float32Array, x: Float32Array, o: { out: Float32Array }) => Float32Array;
      fn(this.ones.subarray(0, n), x, { ...this.options, out: y });
    }
    accumulate(this.swept, this.params, x, y, stats, this.direction);
  }

  /** Every bit pattern in [start, start + count) (count ≤ 2^32 − start). */
  range(start: number, count: number, stats: SweepStats = emptyStats()): SweepStats {
    for (let done = 0; done < count; done += BATCH) {
      const n = Math.min(BATCH, count - done);
      for (let i = 0; i < n; i++) this.bits[i] = start + done + i;
      this.run(n, stats);
    }
    return stats;
  }

  /**
   * A stratified sample: `perStratum` patterns in each of the 512 strata of sign and exponent
   * (the first and last mantissa of each, the rest seeded-random), so every binade, both signs,
   * subnormals, infinities and NaNs are in.
   */
  sample(perStratum: number, seed: number, strata: readonly number[] = Array.from({ length: 512 }, (_, s) => s), stats: SweepStats = emptyStats()): SweepStats {
    let n = 0;
    for (const stratum of strata) {
      const next = mulberry32(seed ^ Math.imul(stratum + 1, 0x9e3779b1));
      for (let k = 0; k < perStratum; k++) {
        const mantissa = k === 0 ? 0 : k === 1 ? 0x7fffff : next() & 0x7fffff;
        this.bits[n++] = ((stratum << 23) | mantissa) >>> 0;
        if (n === BATCH) {
          this.run(n, stats);
          n = 0;
        }
      }
    }
    if (n) this.run(n, stats);
    return stats;
  }
}

/** One swept variant of a definition: its params and the suffix of its report key ('' or e.g. '(tanh)'). */
export interface SweepVariant {
  readonly suffix: string;
  readonly params: ParamValues;
}

/**
 * The variants the accuracy sweep covers: the defaults, then each other value of each choice param
 * (gelu's approximate = 'tanh' is its own formula, so its own row: `gelu(tanh)`). Numeric params
 * stay at their defaults.
 */
export function sweepVariants(definition: ElementwiseDefinition | ChannelwiseDefinition): SweepVariant[] {
  const specs = definition.params as Record<string, AnyParamSpec>;
  const defaults: ParamValues = Object.fromEntries(Object.entries(specs).map(([k, spec]) => [k, spec.default]));
  const variants: SweepVariant[] = [{ suffix: '', params: defaults }];
  for (const [name, spec] of Object.entries(specs)) {
    if (!isChoiceParam(spec)) continue;
    for (const choice of spec.choices) {
      if (choice !== spec.default) variants.push({ suffix: `(${choice})`, params: { ...defaults, [name]: choice } });
    }
  }
  return variants;
}
