// Train / validation / test membership of a row decided by a seeded hash of its index, so that a
// file read in one pass is split without holding a permutation of its rows (the split a row falls
// in depends on the seed and the row alone).
import { ConfigError, check } from '../core/errors.js';

/** The part of a data set a row belongs to. */
export type SplitName = 'train' | 'validation' | 'test';

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A uniform number in [0, 1) (53 bits) from the seed and a row index < 2^53: two finalised 32-bit
 * hashes of (seed, low word, high word), so nearby rows and nearby seeds give unrelated values.
 *
 * @example
 * hashUnit(1, 0) === hashUnit(1, 0); // true: deterministic
 */
export function hashUnit(seed: number, index: number): number {
  const lo = index >>> 0,
    hi = Math.floor(index / 4294967296) >>> 0;
  const s = fmix32((seed >>> 0) ^ 0x9e3779b9);
  const h1 = fmix32(s ^ fmix32(lo + 0x7f4a7c15) ^ Math.imul(hi, 0x27d4eb2f));
  const h2 = fmix32(h1 ^ 0x165667b1 ^ fmix32(lo ^ s));
  return (h1 * 2097152 + (h2 >>> 11)) / 9007199254740992;
}

/**
 * Splits rows by hashUnit: a row is a test row with probability `testSplit`, else a validation row
 * with probability `validationSplit` (of the rest, as the in-memory hold-out takes validation rows
 * from what the test set leaves), else a training row. The counts are binomial, so they match the
 * fractions approximately (within a few √m rows), not exactly as a permutation does.
 */
export class HashSplit {
  private readonly testBelow: number;
  private readonly validationBelow: number;

  /**
   * @param seed the hash's seed: the same seed gives the same split.
   * @param testSplit the share of rows for the test set, in [0, 1).
   * @param validationSplit the share of the remaining rows for validation, in [0, 1).
   */
  constructor(
    readonly seed: number,
    readonly testSplit: number,
    readonly validationSplit: number,
  ) {
    check(Number.isInteger(seed), ConfigError, () => `HashSplit: seed must be an integer, got ${seed}`);
    for (const [name, f] of [
      ['testSplit', testSplit],
      ['validationSplit', validationSplit],
    ] as const) {
      check(Number.isFinite(f) && f >= 0 && f < 1, ConfigError, () => `HashSplit: ${name} must be in [0, 1), got ${f}`);
    }
    this.testBelow = testSplit;
    this.validationBelow = testSplit + (1 - testSplit) * validationSplit;
  }

  /** The split of data row `index` (0-based). */
  of(index: number): SplitName {
    if (this.testBelow === 0 && this.validationBelow === 0) return 'train';
    const u = hashUnit(this.seed, index);
    return u < this.testBelow ? 'test' : u < this.validationBelow ? 'validation' : 'train';
  }
}
