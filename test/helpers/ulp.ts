// Test-side helpers around the accuracy measure of src/ulp.ts: the worst element of a
// comparison and how to show it in an assertion message.
import { float32Bits, ulpError } from '../../src/ulp.js';

export {
  FLT_MAX, FLT_MAX_SUBNORMAL, FLT_MIN_NORMAL, FLT_TRUE_MIN, float32Bits, float32FromBits, ulpError, ulpOf,
} from '../../src/ulp.js';

/** The worst element of a comparison. */
export interface WorstUlp {
  /** Its error in ULP (0 for empty arrays). */
  readonly ulp: number;
  /** Its index, -1 for empty arrays. */
  readonly index: number;
  /** The input there (NaN when no inputs were given). */
  readonly input: number;
  /** The result there. */
  readonly actual: number;
  /** The exact value there. */
  readonly exact: number;
}

/**
 * The largest {@link ulpError} of `actual[i]` against `exact[i]` over all i, with the element
 * where it occurs (the first one on ties) and, when `input` is given, its input.
 */
export function maxUlp(
  actual: ArrayLike<number>,
  exact: ArrayLike<number>,
  input?: ArrayLike<number>,
): WorstUlp {
  if (actual.length !== exact.length) {
    throw new RangeError(`maxUlp: ${actual.length} results but ${exact.length} exact values`);
  }
  let worst = -1;
  let index = -1;
  for (let i = 0; i < actual.length; i++) {
    const e = ulpError(actual[i], exact[i]);
    if (e > worst) {
      worst = e;
      index = i;
      if (e === Infinity) break;
    }
  }
  if (index < 0) return { ulp: 0, index: -1, input: NaN, actual: NaN, exact: NaN };
  return {
    ulp: worst,
    index,
    input: input ? input[index] : NaN,
    actual: actual[index],
    exact: exact[index],
  };
}

/** `x` with its float32 bit pattern, e.g. `-0.625 (0xbf200000)`. */
export function showFloat32(x: number): string {
  const sign = Object.is(x, -0) ? '-0' : String(x);
  return `${sign} (0x${float32Bits(x).toString(16).padStart(8, '0')})`;
}

/** A one-line description of a {@link WorstUlp}, for assertion messages. */
export function describeWorst(worst: WorstUlp): string {
  if (worst.index < 0) return 'no elements';
  return `${worst.ulp} ULP at [${worst.index}]: x = ${showFloat32(worst.input)}, got ${showFloat32(worst.actual)}, exact ${worst.exact}`;
}
