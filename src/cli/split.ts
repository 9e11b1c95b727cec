// Seeded random hold-outs: the test rows are drawn first, then the validation rows from the rest.
import { ConfigError, Rng } from '../node.js';

export interface Holdout {
  train: Uint32Array;
  validation: Uint32Array;
  test: Uint32Array;
}

/**
 * Splits row indices 0..m−1 with one seeded permutation: the first round(m·testSplit) rows are the
 * test set, then round(rest·validationSplit) of the remaining rows the validation set.
 */
export function holdout(m: number, testSplit: number, validationSplit: number, seed: number): Holdout {
  const order = new Rng(seed).permutation(m);
  const nTest = Math.round(m * testSplit);
  const rest = order.subarray(nTest);
  const nVal = Math.round(rest.length * validationSplit);
  const split = { test: order.slice(0, nTest), validation: rest.slice(0, nVal), train: rest.slice(nVal) };
  if (testSplit > 0 && nTest === 0) throw new ConfigError(`--test-split ${testSplit} of ${m} rows leaves no test rows`);
  if (validationSplit > 0 && nVal === 0) throw new ConfigError(`--validation-split ${validationSplit} of ${rest.length} rows leaves no validation rows`);
  if (split.train.length === 0) throw new ConfigError(`--test-split ${testSplit} and --validation-split ${validationSplit} of ${m} rows leave no training rows`);
  return split;
}
