// One-line text charts (▁▂▃▄▅▆▇█) of a series, for terminal progress and summaries.

import { ConfigError, check } from '../core/errors.js';

const BLOCKS = '▁▂▃▄▅▆▇█';

/**
 * Draws `values` as `width` block characters (default: one per value). Longer series are averaged
 * over equal buckets, shorter ones stretched (each value repeated). The lowest finite value maps
 * to ▁ and the highest to █; a constant series is a flat ▄ line; a position with no finite value
 * (NaN, ±Infinity) is a space. An empty series gives the empty string.
 *
 * @example sparkline([1, 2, 3, 4, 5, 6, 7, 8]) // '▁▂▃▄▅▆▇█'
 */
export function sparkline(values: readonly number[], width: number = values.length): string {
  if (values.length === 0) return '';
  check(
    Number.isInteger(width) && width > 0,
    ConfigError,
    () => `sparkline: width must be a positive integer, got ${width}`,
  );

  const points = resample(values, width);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of points) {
    if (Number.isNaN(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const top = BLOCKS.length - 1;
  return points
    .map((v) => {
      if (Number.isNaN(v)) return ' ';
      if (hi === lo) return BLOCKS[3];
      return BLOCKS[Math.round(((v - lo) / (hi - lo)) * top)];
    })
    .join('');
}

/** Mean of the finite values of each of `width` equal buckets of `values` (NaN for none). */
function resample(values: readonly number[], width: number): number[] {
  const n = values.length;
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const start = Math.floor((i * n) / width);
    // When stretching, a bucket may be empty: it takes the value under it.
    const end = Math.max(start + 1, Math.floor(((i + 1) * n) / width));
    let sum = 0;
    let count = 0;
    for (let j = start; j < end; j++) {
      if (Number.isFinite(values[j])) {
        sum += values[j]!; // finite, so present
        count++;
      }
    }
    out.push(count === 0 ? NaN : sum / count);
  }
  return out;
}
