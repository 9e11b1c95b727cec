// Seeded random hold-outs: the test rows are drawn first, then the validation rows from the rest;
// stratified, each class keeps its share in every split.
import { ConfigError, Rng, writeFileAtomic } from '../node.js';

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
  return checked(
    { test: order.slice(0, nTest), validation: rest.slice(0, nVal), train: rest.slice(nVal) },
    m,
    testSplit,
    validationSplit,
  );
}

function checked(split: Holdout, m: number, testSplit: number, validationSplit: number): Holdout {
  checkSplitSizes(
    { train: split.train.length, validation: split.validation.length, test: split.test.length },
    m,
    testSplit,
    validationSplit,
  );
  return split;
}

/** Rejects splits that leave a requested test or validation set, or the training set, empty (m rows in all). */
export function checkSplitSizes(
  n: { train: number; validation: number; test: number },
  m: number,
  testSplit: number,
  validationSplit: number,
): void {
  if (testSplit > 0 && n.test === 0)
    throw new ConfigError(`--test-split ${testSplit} of ${m} rows leaves no test rows`);
  if (validationSplit > 0 && n.validation === 0)
    throw new ConfigError(`--validation-split ${validationSplit} of ${m - n.test} rows leaves no validation rows`);
  if (n.train === 0)
    throw new ConfigError(
      `--test-split ${testSplit} and --validation-split ${validationSplit} of ${m} rows leave no training rows`,
    );
}

/**
 * `holdout` with every class keeping its share (scikit-learn's stratify=y): the test set takes
 * round(m·testSplit) rows, class c about n_c·testSplit of them (floors, then the largest remainders
 * one row each), drawn in one seeded permutation's order; validation likewise from the rest.
 * Each split lists its rows in that permutation's order.
 */
export function stratifiedHoldout(
  classes: ArrayLike<number>,
  testSplit: number,
  validationSplit: number,
  seed: number,
): Holdout {
  const m = classes.length;
  const order = new Rng(seed).permutation(m);
  const take = (rows: Uint32Array, fraction: number): [Uint32Array, Uint32Array] => {
    const byClass = new Map<number, number[]>();
    for (const r of rows) {
      const c = classes[r]!;
      if (!byClass.has(c)) byClass.set(c, []);
      byClass.get(c)!.push(r);
    }
    const groups = [...byClass.entries()].sort((a, b) => a[0] - b[0]);
    const quotas = groups.map(([, g]) => g.length * fraction);
    const counts = quotas.map(Math.floor);
    let left = Math.round(rows.length * fraction) - counts.reduce((a, b) => a + b, 0);
    const byRemainder = quotas
      .map((_, i) => i)
      .sort((a, b) => quotas[b]! - counts[b]! - (quotas[a]! - counts[a]!) || a - b);
    for (const i of byRemainder) {
      if (left <= 0) break;
      if (counts[i]! < groups[i]![1].length) {
        counts[i]!++;
        left--;
      }
    }
    const chosen = new Set<number>();
    groups.forEach(([, g], i) => g.slice(0, counts[i]).forEach((r) => chosen.add(r)));
    return [rows.filter((r) => chosen.has(r)), rows.filter((r) => !chosen.has(r))];
  };
  const [test, rest] = take(order, testSplit);
  const [validation, train] = take(rest, validationSplit);
  return checked({ test, validation, train }, m, testSplit, validationSplit);
}

/**
 * Writes which rows went where as CSV: `row,split` (row numbers count data rows from 0), with a
 * `name` column between them when the rows have names (image files).
 */
export async function saveSplits(file: string, split: Holdout, names: readonly string[] | null = null): Promise<void> {
  const m = split.train.length + split.validation.length + split.test.length;
  const where = new Array<string>(m);
  for (const [name, rows] of [
    ['train', split.train],
    ['validation', split.validation],
    ['test', split.test],
  ] as const) {
    for (const r of rows) where[r] = name;
  }
  const quote = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [names ? 'row,name,split' : 'row,split'];
  for (let r = 0; r < m; r++) lines.push(names ? `${r},${quote(names[r]!)},${where[r]}` : `${r},${where[r]}`);
  await writeFileAtomic(file, lines.join('\n') + '\n');
}
