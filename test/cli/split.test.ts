import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holdout, stratifiedHoldout } from '../../src/cli/split.js';

describe('stratifiedHoldout', () => {
  it('partitions the rows, takes round(m·f) test rows and keeps every class within one row of its share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 20, maxLength: 200 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        (classes, tenths, seed) => {
          const f = tenths / 10;
          const split = stratifiedHoldout(classes, f, 0.2, seed);
          const all = [...split.train, ...split.validation, ...split.test].sort((a, b) => a - b);
          expect(all).toEqual(classes.map((_, i) => i));
          expect(split.test.length).toBe(Math.round(classes.length * f));
          expect(split.validation.length).toBe(Math.round((classes.length - split.test.length) * 0.2));
          for (const c of new Set(classes)) {
            const n = classes.filter((k) => k === c).length;
            const inTest = [...split.test].filter((r) => classes[r] === c).length;
            expect(Math.abs(inTest - n * f)).toBeLessThanOrEqual(1);
          }
        },
      ),
      { seed: 11, numRuns: 100 },
    );
  });

  it('is seeded: the same seed gives the same split, another seed another', () => {
    const classes = Array.from({ length: 60 }, (_, i) => i % 3);
    expect(stratifiedHoldout(classes, 0.2, 0, 1)).toEqual(stratifiedHoldout(classes, 0.2, 0, 1));
    expect([...stratifiedHoldout(classes, 0.2, 0, 1).test]).not.toEqual([
      ...stratifiedHoldout(classes, 0.2, 0, 2).test,
    ]);
  });

  it('names the option that leaves a split empty, like holdout', () => {
    expect(() => stratifiedHoldout([0, 1, 0], 0.1, 0, 1)).toThrow(/--test-split 0\.1 of 3 rows leaves no test rows/);
    expect(() => holdout(3, 0.1, 0, 1)).toThrow(/--test-split 0\.1 of 3 rows leaves no test rows/);
  });
});
