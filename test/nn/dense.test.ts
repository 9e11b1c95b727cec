// Dense without a generator: the documented default (a fresh Rng(0), no warning).
import { describe, expect, it } from 'vitest';
import { Dense, Rng, setWarningHandler } from '../../src/index.js';

describe('Dense initial weights', () => {
  it('without a generator come from new Rng(0), silently: equal across layers of one shape', () => {
    const warnings: string[] = [];
    const previous = setWarningHandler((m) => warnings.push(m));
    try {
      const a = Array.from(new Dense(4, 3, { activation: 'tanh' }).weight.data);
      const b = Array.from(new Dense(4, 3, { activation: 'tanh' }).weight.data);
      const seeded = Array.from(new Dense(4, 3, { activation: 'tanh', rng: new Rng(0) }).weight.data);
      const other = Array.from(new Dense(4, 3, { activation: 'tanh', rng: new Rng(1) }).weight.data);
      expect(a).toEqual(seeded);
      expect(b).toEqual(a);
      expect(other).not.toEqual(a);
      expect(a.some((w) => w !== 0)).toBe(true);
      expect(warnings).toEqual([]);
    } finally {
      setWarningHandler(previous);
    }
  });

  it('one generator shared by two layers gives them different weights', () => {
    const rng = new Rng(0);
    const first = Array.from(new Dense(4, 3, { rng }).weight.data);
    const second = Array.from(new Dense(4, 3, { rng }).weight.data);
    expect(second).not.toEqual(first);
  });
});
