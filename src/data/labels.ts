// Class labels read from a target column: numeric labels compared as numbers ('1' and '1.0' are one
// class), and a check that the column holds classes at all rather than a continuous quantity.
import { check, DataError } from '../core/errors.js';

/** A class label as read from data: strings or numbers (numeric labels are stored as numbers). */
export type Label = string | number;

/** A plain decimal number as written in a CSV cell (no hex, no Infinity, no NaN). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function isNumericLabel(value: string): boolean {
  return DECIMAL.test(value.trim()) && Number.isFinite(Number(value));
}

/**
 * The distinct labels in ascending order. When every label is a decimal number they are compared as
 * numbers, so '0.5' and '0.50' (or '1' and '1.0') are one class, stored as the number; otherwise
 * they are distinct strings in code-unit order.
 *
 * @example
 * sortLabels(['10', '9', '1.0', '1']); // [1, 9, 10]
 */
export function sortLabels(labels: Iterable<string>): Label[] {
  const unique = [...new Set(labels)];
  if (unique.every(isNumericLabel)) return [...new Set(unique.map(Number))].sort((a, b) => a - b);
  return unique.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The lookup key of a cell against a label list: by numeric value when the labels are numbers. */
export function labelKey(value: string, numericLabels: boolean): string {
  return numericLabels && isNumericLabel(value) ? String(Number(value)) : value;
}

/** Numeric labels with a fraction are a class list only when they are this few (0.5 / 1 codes). */
export const MAX_FRACTIONAL_CLASSES = 10;
/** A column with more distinct labels than max(this, rows / 2) has fewer than 2 rows per class. */
export const MIN_CLASS_LIMIT = 50;

/**
 * Rejects a classification target that looks continuous: more than MAX_FRACTIONAL_CLASSES distinct
 * numbers of which some are not integers (prices, measurements), or more than
 * max(MIN_CLASS_LIMIT, rows / 2) distinct labels (about one class per row: an identifier or a
 * continuous value). Either would make a one-hot target of rows × classes that cannot be learned.
 * Also rejects a one-hot target larger than MAX_ONE_HOT_BYTES.
 */
export function checkClassLabels(labels: readonly Label[], rows: number, source: string, column: string): void {
  const fractional = labels.filter((l) => typeof l === 'number' && !Number.isInteger(l));
  check(
    fractional.length === 0 || labels.length <= MAX_FRACTIONAL_CLASSES,
    DataError,
    () =>
      `${source}: column '${column}' has ${labels.length} distinct values, ${fractional.length} of them not integers ` +
      `(e.g. ${fractional.slice(0, 3).join(', ')}): it looks continuous, not like class labels; use --task regression to predict it as a number`,
  );
  const limit = Math.max(MIN_CLASS_LIMIT, Math.floor(rows / 2));
  check(
    labels.length <= limit,
    DataError,
    () =>
      `${source}: column '${column}' has ${labels.length} distinct values in ${rows} rows (more than ${limit}, fewer than 2 rows per class): ` +
      `it looks continuous or like an identifier, not like class labels; use --task regression to predict it as a number`,
  );
  const bytes = rows * labels.length * 4;
  check(
    bytes <= MAX_ONE_HOT_BYTES,
    DataError,
    () =>
      `${source}: column '${column}': one-hot targets of ${rows} rows × ${labels.length} classes would take ${(bytes / 2 ** 30).toFixed(1)} GiB, more than the ${MAX_ONE_HOT_BYTES / 2 ** 30} GiB supported`,
  );
}

/** Largest one-hot target matrix (float32): one 2 GiB buffer. */
export const MAX_ONE_HOT_BYTES = 2 ** 31;
