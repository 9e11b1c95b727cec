// Activation statistics of the playground's histogram view, on hand-made activations.
import { describe, expect, it } from 'vitest';
import { activationStats } from '../../web/src/activation-stats.js';

describe('activationStats', () => {
  it('counts saturated tanh activations (|a| > 0.97) and bins them over [−1, 1]', () => {
    // 2 units × 4 examples, row-major.
    const s = activationStats([0.99, 0, -0.98, 0.5, 0.1, -0.2, 0.97, -1], 2, 'tanh');
    expect(s.saturated).toBe(3 / 8);
    expect(s.dead).toBeNull();
    expect([s.lo, s.hi]).toEqual([-1, 1]);
    expect(s.bins.reduce((a, b) => a + b, 0)).toBe(8);
    expect(s.bins[19]).toBe(2); // 0.99 and 0.97 in the top bin [0.9, 1]
    expect(s.bins[0]).toBe(2); // −0.98 and −1 in the bottom bin
  });

  it('counts sigmoid activations near 0 or 1 as saturated', () => {
    expect(activationStats([0.01, 0.5, 0.99, 0.6], 1, 'sigmoid').saturated).toBe(0.5);
  });

  it('finds ReLU units that are 0 on every example', () => {
    // Unit 1 is dead, unit 2 fires once, unit 3 always.
    const s = activationStats([0, 0, 1, 0, 2, 3, 0, 0, 4], 3, 'relu');
    expect(s.dead).toBe(1 / 3);
    expect(s.saturated).toBeNull();
    expect([s.lo, s.hi]).toEqual([0, 4]);
  });
});
