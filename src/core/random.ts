// A small seeded pseudo-random generator (xoshiro128**) shared by initialisers, shuffling and dropout.
import { ConfigError, check } from './errors.js';

/**
 * Seeded generator: the same seed gives the same sequence on every platform (32-bit integer
 * arithmetic only). Pass one explicitly to every random operation; there is no global state.
 *
 * @example
 * const rng = new Rng(42); rng.uniform(); // a number in [0, 1)
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    check(Number.isInteger(seed), ConfigError, () => `Rng: seed must be an integer, got ${seed}`);
    // splitmix32 expands the seed into the four state words so that nearby seeds diverge.
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of randomness. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [low, high). */
  uniformRange(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Standard normal N(0, 1) by the Box–Muller transform (pairs are cached). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffleInPlace<
    T extends {
      /** Number of elements. */
      length: number;
      [i: number]: number;
    },
  >(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i]!;
      array[i] = array[j]!;
      array[j] = t;
    }
    return array;
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffleInPlace(p);
  }

  /** The generator's full state (four 32-bit words and the cached normal), to continue the stream later. */
  getState(): RngState {
    return { words: [this.s0, this.s1, this.s2, this.s3], spareNormal: this.spareNormal };
  }

  /** Continues exactly from a state returned by getState(). */
  setState(state: RngState): void {
    const w = state?.words;
    check(
      Array.isArray(w) && w.length === 4 && w.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff),
      ConfigError,
      () => `Rng.setState: words must be four unsigned 32-bit integers, got ${JSON.stringify(w)}`,
    );
    check(
      state.spareNormal === null || Number.isFinite(state.spareNormal),
      ConfigError,
      () => `Rng.setState: spareNormal must be a finite number or null, got ${state.spareNormal}`,
    );
    check(
      w.some((v) => v !== 0),
      ConfigError,
      () => 'Rng.setState: an all-zero state is not a valid xoshiro128** state',
    );
    [this.s0, this.s1, this.s2, this.s3] = w as [number, number, number, number];
    this.spareNormal = state.spareNormal;
  }

  /** A new generator whose stream is derived from this one (for independent sub-streams). */
  fork(): Rng {
    return new Rng(this.nextUint32() | 0);
  }
}

/** A generator's state as plain data (JSON-safe). */
export interface RngState {
  /** The four xoshiro128** state words, unsigned 32-bit integers, not all zero. */
  words: number[];
  /** The second value of the last Box–Muller pair, not yet returned (null: none). */
  spareNormal: number | null;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
