// Parsers for option values: each rejects bad input with a ConfigError naming the option and value.
import { ConfigError } from '../node.js';

/** A finite number, optionally bounded (`--lr 0.01`). */
export function numberOption(
  flag: string,
  options: { min?: number; max?: number; minExclusive?: boolean } = {},
): (value: string) => number {
  return (value: string): number => {
    const v = value.trim() === '' ? NaN : Number(value);
    if (!Number.isFinite(v)) throw new ConfigError(`${flag}: '${value}' is not a number`);
    const { min, max, minExclusive } = options;
    if (min !== undefined && (minExclusive ? v <= min : v < min))
      throw new ConfigError(`${flag}: must be ${minExclusive ? '>' : '≥'} ${min}, got ${value}`);
    if (max !== undefined && v > max) throw new ConfigError(`${flag}: must be ≤ ${max}, got ${value}`);
    return v;
  };
}

/** A non-negative (or positive) integer (`--epochs 20`). */
export function integerOption(flag: string, min = 0): (value: string) => number {
  return (value: string): number => {
    const v = Number(value);
    if (value.trim() === '' || !Number.isInteger(v) || v < min)
      throw new ConfigError(`${flag}: expected an integer ≥ ${min}, got '${value}'`);
    return v;
  };
}

/** A fraction in [0, 1) (`--test-split 0.2`). */
export function fractionOption(flag: string): (value: string) => number {
  return (value: string): number => {
    const v = Number(value);
    if (value.trim() === '' || !Number.isFinite(v) || v < 0 || v >= 1)
      throw new ConfigError(`${flag}: expected a fraction in [0, 1), got '${value}'`);
    return v;
  };
}

/** Hidden layer sizes `64,32` (an empty string or `none` is no hidden layer). */
export function parseLayers(value: string): number[] {
  if (value.trim() === '' || value.trim() === 'none') return [];
  return value.split(',').map((s) => {
    const v = Number(s.trim());
    if (s.trim() === '' || !Number.isInteger(v) || v <= 0)
      throw new ConfigError(`--layers: '${s}' in '${value}' is not a positive integer layer size`);
    return v;
  });
}

/** `--batch-size 32` or `all`. */
export function parseBatchSize(value: string): number | 'all' {
  if (value === 'all') return 'all';
  return integerOption('--batch-size', 1)(value);
}

/** A comma-separated list of names (`--target a,b`). */
export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** One of a fixed set of names, with the set in the message. */
export function choice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new ConfigError(`${flag}: unknown value '${value}'; expected one of ${allowed.join(', ')}`);
  return value as T;
}
