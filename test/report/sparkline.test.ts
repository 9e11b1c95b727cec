// Text sparklines: level mapping, resampling, flat and missing values.

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { sparkline } from '../../src/report/sparkline.js';

describe('sparkline', () => {
  it('maps the range onto the eight blocks', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([3, 1, 2])).toBe('█▁▅'); // 2 is half way: round(3.5) = level 4
  });

  it('draws a constant series as a flat line', () => {
    expect(sparkline([5, 5, 5])).toBe('▄▄▄');
    expect(sparkline([7])).toBe('▄');
  });

  it('leaves a gap for NaN and infinities and scales by the finite values', () => {
    expect(sparkline([1, NaN, 3, Infinity])).toBe('▁ █ ');
    expect(sparkline([NaN, NaN])).toBe('  ');
  });

  it('averages buckets when shrinking and repeats values when stretching', () => {
    expect(sparkline([0, 0, 10, 10], 2)).toBe('▁█');
    expect(sparkline([0, 2, 6, 8, 10, 10], 3)).toBe('▁▆█'); // bucket means 1, 7, 10; round(6/9 · 7) = level 5
    expect(sparkline([0, NaN, 10, 10], 2)).toBe('▁█'); // NaN ignored inside a bucket
    expect(sparkline([0, 1], 4)).toBe('▁▁██');
    expect(
      sparkline(
        Array.from({ length: 1000 }, (_, i) => i),
        40,
      ),
    ).toHaveLength(40);
  });

  it('is empty for no values and rejects a bad width', () => {
    expect(sparkline([])).toBe('');
    expect(() => sparkline([1, 2], 0)).toThrow(ConfigError);
    expect(() => sparkline([1, 2], 2.5)).toThrow(/width must be a positive integer, got 2\.5/);
  });
});
