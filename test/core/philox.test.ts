// Philox4x32-10 against Random123's published known-answer vectors (tests/kat_vectors of the
// Random123 distribution, Salmon et al. 2011), and the dropout layout and threshold built on it.
import { describe, expect, it } from 'vitest';
import { dropoutWords, keepThreshold, philox4x32 } from '../../src/core/philox.js';

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

describe('dropoutWords', () => {
  it('gives element 16g + 4j + l word j of block 4g + l', () => {
    const words = new Uint32Array(37);
    dropoutWords(7, 9, words);
    for (let e = 0; e < words.length; e++) {
      const g = Math.floor(e / 16),
        j = Math.floor(e / 4) % 4,
        l = e % 4;
      expect(words[e]).toBe(philox4x32([4 * g + l, 0, 0, 0], [7, 9])[j]);
    }
  });

  it('depends on the key alone: a prefix is the same whatever the length', () => {
    const long = new Uint32Array(100),
      short = new Uint32Array(21);
    dropoutWords(1, 2, long);
    dropoutWords(1, 2, short);
    expect(Array.from(short)).toEqual(Array.from(long.subarray(0, 21)));
    const other = new Uint32Array(21);
    dropoutWords(1, 3, other);
    expect(Array.from(other)).not.toEqual(Array.from(short));
  });

  it('words are uniform: the kept fraction is within 4 standard deviations of 1 − p', () => {
    const words = new Uint32Array(1 << 16);
    dropoutWords(123, 456, words);
    for (const keep of [0.1, 0.5, 0.7]) {
      const threshold = keepThreshold(keep);
      const kept = words.reduce((count, w) => count + (w < threshold ? 1 : 0), 0) / words.length;
      expect(Math.abs(kept - keep)).toBeLessThan(4 * Math.sqrt((keep * (1 - keep)) / words.length));
    }
  });
});

describe('keepThreshold', () => {
  it('keeps a word w exactly when w / 2^32 < keep', () => {
    expect(keepThreshold(0.5)).toBe(2 ** 31);
    expect(keepThreshold(0.7)).toBe(Math.ceil(0.7 * 2 ** 32));
    const t = keepThreshold(0.3);
    expect((t - 1) / 2 ** 32 < 0.3 && t / 2 ** 32 >= 0.3).toBe(true);
    expect(keepThreshold(1 - 1e-12)).toBe(0xffffffff);
  });
});
