// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011): a
// counter-based generator, so that any element's random word can be computed on its own. Dropout
// masks use it so that they do not depend on how the work is split across threads.

import { ConfigError, check } from './errors.js';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
/** Weyl constants that bump the key between rounds (golden ratio and √3 − 1, as 32-bit fractions). */
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const ROUNDS = 10;

/** High 32 bits of the 64-bit product of two unsigned 32-bit integers, exactly, in doubles. */
function mulhi(a: number, b: number): number {
  const high = (a >>> 16) * b; // < 2^48
  const low = (a & 0xffff) * b; // < 2^48
  return Math.floor((high + Math.floor(low / 65536)) / 65536) >>> 0;
}

/**
 * The four 32-bit words of Philox4x32-10 for `counter` (four words) under `key` (two words), written
 * to `out` (unsigned).
 *
 * @example
 * philox4x32([0, 0, 0, 0], [0, 0]); // Uint32Array [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]
 */
export function philox4x32(
  counter: ArrayLike<number>,
  key: ArrayLike<number>,
  out: Uint32Array = new Uint32Array(4),
): Uint32Array {
  let c0 = counter[0]! >>> 0,
    c1 = counter[1]! >>> 0,
    c2 = counter[2]! >>> 0,
    c3 = counter[3]! >>> 0;
  let k0 = key[0]! >>> 0,
    k1 = key[1]! >>> 0;
  for (let round = 0; round < ROUNDS; round++) {
    if (round > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi(M0, c0),
      lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2),
      lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
  return out;
}

/**
 * The keep threshold for keep probability `keep` in (0, 1]: an element is kept when its 16-bit draw
 * is below it, so that P(kept) = ⌈keep·2^16⌉ / 2^16, within 2^−16 of `keep` (the same test as
 * uniform() < keep with uniform = draw / 2^16). 2^16 for keep = 1: every element is kept.
 */
export function keepThreshold(keep: number): number {
  return Math.min(Math.ceil(keep * 65536), 65536);
}

/** Throws a ConfigError unless `threshold` is a keep threshold for 16-bit draws: an integer in [0, 2^16]. */
export function checkKeepThreshold(threshold: number): void {
  check(
    Number.isInteger(threshold) && threshold >= 0 && threshold <= 65536,
    ConfigError,
    () => `dropout: the keep threshold must be an integer in [0, 65536] (keepThreshold(1 − p)), got ${threshold}`,
  );
}

const blockWords = new Uint32Array(4);
const blockCounter = [0, 0, 0, 0];
const blockKey = [0, 0];

/**
 * The 32 dropout draws (16-bit, unsigned) of mask group `group` (elements 32·group .. 32·group + 31)
 * into `out`: four consecutive blocks 4g..4g+3 (counters [b, 0, 0, 0]) fill the group, the low half
 * (h = 0) and the high half (h = 1) of word j of block 4g + l going to element 32g + 8j + 4h + l.
 * SIMD lanes compute four blocks at once and store each half of their words as it comes, and a
 * thread can start at any group. Two draws per word halve the generator's work per element.
 */
export function dropoutGroupDraws(key0: number, key1: number, group: number, out: Uint32Array): void {
  blockKey[0] = key0;
  blockKey[1] = key1;
  for (let l = 0; l < 4; l++) {
    blockCounter[0] = 4 * group + l;
    philox4x32(blockCounter, blockKey, blockWords);
    for (let j = 0; j < 4; j++) {
      out[8 * j + l] = blockWords[j]! & 0xffff;
      out[8 * j + 4 + l] = blockWords[j]! >>> 16;
    }
  }
}

/** The dropout draws of elements 0..out.length − 1 (see dropoutGroupDraws for the layout). */
export function dropoutDraws(key0: number, key1: number, out: Uint32Array): void {
  const group = new Uint32Array(32);
  for (let g = 0; 32 * g < out.length; g++) {
    dropoutGroupDraws(key0, key1, g, group);
    out.set(group.subarray(0, Math.min(32, out.length - 32 * g)), 32 * g);
  }
}
