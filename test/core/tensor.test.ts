// Tensor shapes, flattening, conversions, the seeded generator, and error messages.
import { describe, expect, it } from 'vitest';
import { Rng, Tensor } from '../../src/index.js';

describe('Tensor', () => {
  it('infers shapes from nested arrays and indexes row-major', () => {
    const t = Tensor.from([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.get(1, 2)).toBe(6);
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('flattens a batch of 64×64×3 images to 12 288 features', () => {
    const images = Tensor.zeros([5, 64, 64, 3]);
    images.setInPlace(1, 2, 63, 63, 2);
    const flat = images.flatten();
    expect(flat.shape).toEqual([5, 12288]);
    expect(flat.get(2, 12287)).toBe(1);
  });

  it('reshapes with one inferred dimension and rejects impossible shapes', () => {
    expect(Tensor.zeros([4, 6]).reshape([-1, 3]).shape).toEqual([8, 3]);
    expect(() => Tensor.zeros([4, 6]).reshape([5, -1])).toThrow(/cannot reshape \[4, 6\] \(24 values\) to \[5, -1\]/);
    expect(() => Tensor.from([[1, 2], [3]])).toThrow(/ragged nested array at \[1\]/);
    expect(() => Tensor.from([1, 2, 3], [2, 2])).toThrow(/3 values do not fill shape \[2, 2\]/);
    expect(() => Tensor.zeros([2, 2]).get(2, 0)).toThrow(/index \[2, 0\] out of range for shape \[2, 2\]/);
  });

  it('astype copies into float64; gatherRows picks rows', () => {
    const t = Tensor.from([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const d = t.astype('float64');
    d.data[0] = 9;
    expect(t.data[0]).toBe(1);
    expect(t.gatherRows([2, 0]).to2D()).toEqual([
      [5, 6],
      [1, 2],
    ]);
  });
});

describe('Rng', () => {
  it('is deterministic per seed and uniform in [0, 1)', () => {
    const a = new Rng(123),
      b = new Rng(123),
      c = new Rng(124);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xs);
    const big = new Rng(1);
    let sum = 0,
      min = 1,
      max = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = big.uniform();
      sum += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
  });

  it('draws standard normals (mean 0, variance 1) and permutations', () => {
    const r = new Rng(2);
    const xs = Array.from({ length: 50_000 }, () => r.normal());
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(v - 1)).toBeLessThan(0.03);
    const p = Array.from(new Rng(3).permutation(10)).sort((a, b) => a - b);
    expect(p).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => new Rng(1.5)).toThrow(/seed must be an integer, got 1.5/);
  });
});
