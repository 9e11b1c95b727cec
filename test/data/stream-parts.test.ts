// The pieces of streaming: Welford's running variance, the seeded hash split and the shuffle buffer.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';
import { HashSplit, hashUnit } from '../../src/data/hash-split.js';
import { StandardScaler } from '../../src/data/scaler.js';
import { ShuffleBuffer } from '../../src/data/shuffle-buffer.js';
import { Welford } from '../../src/data/welford.js';

/** Two-pass float64 mean and population variance (the textbook reference). */
function twoPass(values: number[]): { mean: number; variance: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, variance: values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length };
}

describe('Welford', () => {
  it('a hand example', () => {
    const w = new Welford(2);
    for (const row of [
      [2, 10],
      [4, 10],
      [4, 10],
      [4, 10],
      [5, 10],
      [5, 10],
      [7, 10],
      [9, 10],
    ])
      w.addRow(row);
    expect(Array.from(w.mean)).toEqual([5, 10]);
    expect(Array.from(w.variance())).toEqual([4, 0]); // the classic σ = 2 example
    expect(w.scale()).toEqual([2, 1]); // a constant column keeps scale 1
  });

  it('matches two-pass float64 on values 1e8 + small noise, where Σx² − (Σx)²/n fails', () => {
    const rng = new Rng(3);
    const values = Array.from({ length: 100_000 }, () => 1e8 + rng.normal() * 1e-3);
    const w = new Welford(1);
    for (const v of values) w.addRow([v]);
    const ref = twoPass(values);
    expect(w.mean[0]).toBeCloseTo(ref.mean, 6);
    expect(Math.abs(w.variance()[0]! - ref.variance) / ref.variance).toBeLessThan(1e-6);
    // The naive formula loses every digit here (the reason for Welford).
    const naive = values.reduce((a, v) => a + v * v, 0) / values.length - ref.mean ** 2;
    expect(Math.abs(naive - ref.variance) / ref.variance).toBeGreaterThan(1);
  });

  it('bytes scaled per row equal the scaled values', () => {
    const bytes = Uint8Array.of(0, 255, 51, 102);
    const a = new Welford(2),
      b = new Welford(2);
    a.addRow(bytes, 0, 1 / 255);
    a.addRow(bytes, 2, 1 / 255);
    b.addRows([0, 1, 0.2, 0.4], 2);
    for (let j = 0; j < 2; j++) {
      expect(a.mean[j]).toBeCloseTo(b.mean[j]!, 12);
      expect(a.variance()[j]).toBeCloseTo(b.variance()[j]!, 12);
    }
  });

  it('StandardScaler.fit is Welford over the rows (sklearn: population σ, constant → 1)', () => {
    const x = new Tensor(Float32Array.from([1, 5, 2, 5, 3, 5, 4, 5]), [4, 2]);
    const s = StandardScaler.fit(x);
    expect(s.mean).toEqual([2.5, 5]);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(s.scale[1]).toBe(1);
    expect(() => StandardScaler.fromStats(new Welford(2))).toThrow(/no examples to fit on/);
  });
});

describe('HashSplit', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = new HashSplit(7, 0.2, 0.1),
      b = new HashSplit(7, 0.2, 0.1),
      c = new HashSplit(8, 0.2, 0.1);
    const rows = Array.from({ length: 2000 }, (_, i) => i);
    expect(rows.map((i) => a.of(i))).toEqual(rows.map((i) => b.of(i)));
    const differ = rows.filter((i) => a.of(i) !== c.of(i)).length;
    expect(differ).toBeGreaterThan(400);
  });

  it('gives about the requested fractions (within 4 standard deviations of the binomial)', () => {
    const m = 200_000;
    for (const [test, validation, seed] of [
      [0.2, 0.1, 1],
      [0.05, 0.5, 2],
      [0.5, 0, 3],
    ] as const) {
      const split = new HashSplit(seed, test, validation);
      const counts = { train: 0, validation: 0, test: 0 };
      for (let i = 0; i < m; i++) counts[split.of(i)]++;
      const pTest = test,
        pVal = (1 - test) * validation;
      for (const [n, p] of [
        [counts.test, pTest],
        [counts.validation, pVal],
      ] as const) {
        expect(Math.abs(n - m * p)).toBeLessThanOrEqual(4 * Math.sqrt(m * p * (1 - p)) + 1e-9);
      }
    }
  });

  it('hashUnit is in [0, 1), uniform by deciles, and covers indices beyond 2^32', () => {
    const deciles = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = hashUnit(5, i);
      if (!(u >= 0 && u < 1)) outside++;
      else deciles[Math.floor(u * 10)]!++;
    }
    expect(outside).toBe(0);
    for (const d of deciles) expect(Math.abs(d - 10_000)).toBeLessThan(400);
    expect(hashUnit(5, 2 ** 32 + 1)).not.toBe(hashUnit(5, 1));
  });

  it('rejects fractions outside [0, 1)', () => {
    expect(() => new HashSplit(1, 1, 0)).toThrow(/testSplit must be in \[0, 1\), got 1/);
    expect(() => new HashSplit(1, 0, -0.1)).toThrow(/validationSplit must be in \[0, 1\), got -0.1/);
  });
});

describe('ShuffleBuffer', () => {
  /** Rows 0..n−1 (row i holds [i, i + 0.5]) through a buffer of `capacity`, as they come out. */
  function shuffled(n: number, capacity: number, seed: number): number[] {
    const buf = new ShuffleBuffer(capacity, 2, new Rng(seed));
    const out = new Float32Array(2);
    const order: number[] = [];
    const take = (): void => {
      expect(out[1]).toBe(out[0]! + 0.5);
      order.push(out[0]!);
    };
    for (let i = 0; i < n; i++) if (buf.push([i, i + 0.5], 0, out, 0)) take();
    while (buf.pop(out, 0)) take();
    return order;
  }

  it('is a permutation of its input, the same for the same seed', () => {
    for (const [n, capacity] of [
      [1000, 100],
      [50, 1000],
      [10, 1],
      [1, 1],
    ] as const) {
      const order = shuffled(n, capacity, 9);
      expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(shuffled(n, capacity, 9)).toEqual(order);
    }
    expect(shuffled(1000, 100, 10)).not.toEqual(shuffled(1000, 100, 9));
  });

  it('capacity 1 keeps the order; a buffer as large as the data shuffles it fully', () => {
    expect(shuffled(20, 1, 1)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // With the whole data held, the first row out is uniform over all rows.
    const firsts = new Array<number>(4).fill(0);
    for (let seed = 0; seed < 4000; seed++) firsts[shuffled(4, 4, seed)[0]!]!++;
    for (const f of firsts) expect(Math.abs(f - 1000)).toBeLessThan(150);
  });

  it('a row moves earlier by at most the capacity', () => {
    const order = shuffled(5000, 64, 3);
    order.forEach((row, position) => expect(position).toBeGreaterThanOrEqual(row - 64));
  });
});
