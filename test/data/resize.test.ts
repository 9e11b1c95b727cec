import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/core/errors.js';
import { resizeImage } from '../../src/data/resize.js';

describe('resizeImage', () => {
  it('averages the area each output pixel covers when shrinking', () => {
    // 4×4 → 2×2: each output is the mean of a 2×2 block.
    const src = Uint8Array.of(0, 10, 100, 110, 20, 30, 120, 130, 200, 200, 0, 0, 200, 200, 0, 40);
    expect([...resizeImage(src, 4, 4, 1, 2, 2)]).toEqual([15, 115, 200, 10]);
    // 3 → 2 columns: output 0 covers [0, 1.5): (a + b/2)/1.5; output 1 covers [1.5, 3): (b/2 + c)/1.5.
    expect([...resizeImage(Uint8Array.of(0, 90, 180), 1, 3, 1, 1, 2)]).toEqual([30, 150]);
    // Everything into one pixel: the mean, rounded.
    expect([...resizeImage(Uint8Array.of(0, 100, 200, 50), 2, 2, 1, 1, 1)]).toEqual([88]);
  });

  it('interpolates bilinearly with aligned pixel centres when growing', () => {
    // 2 → 4: samples at x = (i + ½)/2 − ½ = −0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    expect([...resizeImage(Uint8Array.of(0, 100), 1, 2, 1, 1, 4)]).toEqual([0, 25, 75, 100]);
    // 1×1 → 2×2 repeats the pixel.
    expect([...resizeImage(Uint8Array.of(7), 1, 1, 1, 2, 2)]).toEqual([7, 7, 7, 7]);
  });

  it('resamples each channel of an RGB image on its own', () => {
    const src = Uint8Array.of(255, 0, 10, 0, 255, 30); // two pixels in a row
    expect([...resizeImage(src, 1, 2, 3, 1, 1)]).toEqual([128, 128, 20]);
  });

  it('copies at the same size and writes at an offset', () => {
    const out = new Uint8Array(6).fill(9);
    resizeImage(Uint8Array.of(1, 2, 3, 4), 2, 2, 1, 2, 2, out, 2);
    expect([...out]).toEqual([9, 9, 1, 2, 3, 4]);
  });

  it('keeps a constant image constant and stays within the input range at any size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (h, w, oh, ow, value, seed) => {
          expect(resizeImage(new Uint8Array(h * w).fill(value), h, w, 1, oh, ow).every((v) => v === value)).toBe(true);
          const src = Uint8Array.from({ length: h * w }, (_, i) => (seed >>> (i % 24)) & 255);
          const lo = Math.min(...src),
            hi = Math.max(...src);
          expect(resizeImage(src, h, w, 1, oh, ow).every((v) => v >= lo && v <= hi)).toBe(true);
        },
      ),
      { seed: 1, numRuns: 200 },
    );
  });

  it('rejects sizes and buffers that do not fit', () => {
    expect(() => resizeImage(new Uint8Array(3), 2, 2, 1, 1, 1)).toThrow(ShapeError);
    expect(() => resizeImage(new Uint8Array(3), 2, 2, 1, 1, 1)).toThrow(/3 bytes for a 2×2×1 image/);
    expect(() => resizeImage(new Uint8Array(4), 2, 2, 1, 0, 1)).toThrow(
      /output height must be a positive integer, got 0/,
    );
    expect(() => resizeImage(new Uint8Array(4), 2, 2, 1, 2, 2, new Uint8Array(3))).toThrow(
      /output \[0, 4\) does not fit 3 bytes/,
    );
  });
});
