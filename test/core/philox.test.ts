// Philox4x32-10 against Random123's published known-answer vectors (tests/kat_vectors of the
// Random123 distribution, Salmon et al. 2011), and the dropout layout and threshold built on it.
import { describe, expect, it } from 'vitest';
import { dropoutDraws, keepThreshold, philox4x32 } from '../../src/core/philox.js';

const KAT: { counter: number[]; key: number[]; out: number[] }[] = [
  { counter: [0, 0, 0, 0], key: [0, 0], out: [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8] },
  {
    counter: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    key: [0xffffffff, 0xffffffff],
    out: [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  },
  {
    counter: [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    key: [0xa4093822, 0x299f31d0],
    out: [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  },
];

describe('philox4x32', () => {
  it.each(KAT)('matches Random123 for counter $counter, key $key', ({ counter, key, out }) => {
    expect(Array.from(philox4x32(counter, key))).toEqual(out);
  });

  it('writes into a given array', () => {
    const out = new Uint32Array(4);
    expect(philox4x32([0, 0, 0, 0], [0, 0], out)).toBe(out);
    expect(out[0]).toBe(0x6627e8d5);
  });
});

describe('dropoutDraws', () => {
  it('gives element 32g + 8j + 4h + l half h (0 low, 1 high) of word j of block 4g + l', () => {
    const draws = new Uint32Array(75);
    dropoutDraws(7, 9, draws);
    for (let e = 0; e < draws.length; e++) {
      const g = Math.floor(e / 32),
        j = Math.floor(e / 8) % 4,
        h = Math.floor(e / 4) % 2,
        l = e % 4;
      const word = philox4x32([4 * g + l, 0, 0, 0], [7, 9])[j]!;
      expect(draws[e]).toBe(h === 0 ? word & 0xffff : word >>> 16);
    }
  });

  it('depends on the key alone: a prefix is the same whatever the length', () => {
    const long = new Uint32Array(100),
      short = new Uint32Array(21);
    dropoutDraws(1, 2, long);
    dropoutDraws(1, 2, short);
    expect(Array.from(short)).toEqual(Array.from(long.subarray(0, 21)));
    const other = new Uint32Array(21);
    dropoutDraws(1, 3, other);
    expect(Array.from(other)).not.toEqual(Array.from(short));
  });

  it('draws are uniform 16-bit numbers: the kept fraction is within 4 standard deviations of 1 − p', () => {
    const draws = new Uint32Array(1 << 16);
    dropoutDraws(123, 456, draws);
    expect(Math.max(...draws)).toBeLessThan(65536);
    for (const keep of [0.1, 0.5, 0.7]) {
      const threshold = keepThreshold(keep);
      const kept = draws.reduce((count, w) => count + (w < threshold ? 1 : 0), 0) / draws.length;
      expect(Math.abs(kept - keep)).toBeLessThan(4 * Math.sqrt((keep * (1 - keep)) / draws.length));
    }
    // The two halves of a word are not correlated: the low and high draws of the first 4096 words.
    const low: number[] = [],
      high: number[] = [];
    for (let e = 0; e < draws.length; e += 8) {
      for (let l = 0; l < 4; l++) {
        low.push(draws[e + l]! / 65536 - 0.5);
        high.push(draws[e + 4 + l]! / 65536 - 0.5);
      }
    }
    const n = low.length;
    const correlation = low.reduce((sum, v, i) => sum + v * high[i]!, 0) / n / (1 / 12);
    expect(Math.abs(correlation)).toBeLessThan(4 / Math.sqrt(n));
  });
});

describe('keepThreshold', () => {
  it('keeps a draw d exactly when d / 2^16 < keep', () => {
    expect(keepThreshold(0.5)).toBe(2 ** 15);
    expect(keepThreshold(0.7)).toBe(Math.ceil(0.7 * 2 ** 16));
    const t = keepThreshold(0.3);
    expect((t - 1) / 2 ** 16 < 0.3 && t / 2 ** 16 >= 0.3).toBe(true);
    expect(keepThreshold(1)).toBe(65536);
    expect(keepThreshold(1 - 1e-12)).toBe(65536);
  });
});
