// Per hidden layer: the distribution of its activations over the training set, and the share of
// saturated (sigmoid, tanh) or dead (ReLU) units, shown next to the gradient sizes they explain.
import type { HiddenActivation } from './config.js';

export interface ActivationStats {
  /** Counts of the activations in `bins.length` equal bins over [lo, hi]. */
  bins: number[];
  lo: number;
  hi: number;
  /** sigmoid/tanh: the share of activations within 3% of their limits (g′ nearly 0). */
  saturated: number | null;
  /** relu: the share of units that output 0 for every training example (they never learn again). */
  dead: number | null;
}

const BINS = 20;

/** Statistics of one hidden layer's activations a [m, units] (row-major). */
export function activationStats(a: ArrayLike<number>, units: number, activation: HiddenActivation): ActivationStats {
  const m = a.length / units;
  let lo: number, hi: number;
  if (activation === 'tanh') [lo, hi] = [-1, 1];
  else if (activation === 'sigmoid') [lo, hi] = [0, 1];
  else {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < a.length; i++) {
      lo = Math.min(lo, a[i]!);
      hi = Math.max(hi, a[i]!);
    }
    if (!(hi > lo)) hi = lo + 1;
  }
  const bins = new Array<number>(BINS).fill(0);
  let saturated = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    bins[Math.min(BINS - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * BINS)))]!++;
    if (activation === 'tanh' && Math.abs(v) > 0.97) saturated++;
    if (activation === 'sigmoid' && (v < 0.03 || v > 0.97)) saturated++;
  }
  let dead: number | null = null;
  if (activation === 'relu') {
    let count = 0;
    for (let u = 0; u < units; u++) {
      let alive = false;
      for (let r = 0; r < m && !alive; r++) alive = a[r * units + u]! > 0;
      if (!alive) count++;
    }
    dead = count / units;
  }
  const sat = activation === 'tanh' || activation === 'sigmoid' ? saturated / Math.max(1, a.length) : null;
  return { bins, lo, hi, saturated: sat, dead };
}
