// Standalone SVG plots of a training history: loss.svg and one <metric>.svg per metric.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { History } from '../train/history.js';
import { writeFileAtomic } from '../io/atomic.js';
import { historyMetrics, metricChartSvg } from './charts.js';

/**
 * Writes `dir/loss.svg` and `dir/<metric>.svg` for each metric of the history (train and
 * validation curves), creating `dir`; returns the paths written, loss first. Characters outside
 * `[A-Za-z0-9_-]` in a metric name become `_` in its file name.
 */
export async function writePlots(dir: string, history: History): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const name of ['loss', ...historyMetrics(history)]) {
    const svg = await metricChartSvg(history, name);
    const path = join(dir, `${name.replace(/[^A-Za-z0-9_-]/g, '_')}.svg`);
    await writeFileAtomic(path, `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`);
    paths.push(path);
  }
  return paths;
}
