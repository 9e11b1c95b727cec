// Standalone SVG plots of a training history: loss.svg and one <metric>.svg per metric.

import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { GENERATED_MARK, makeDirs } from '../io/out-path.js';
import type { History } from '../train/history.js';
import { historyMetrics, metricChartSvg } from './charts.js';

/**
 * Writes `dir/loss.svg` and `dir/<metric>.svg` for each metric of the history (train and
 * validation curves), creating `dir`; returns the paths written, loss first. Characters outside
 * `[A-Za-z0-9_-]` in a metric name become `_` in its file name.
 */
export async function writePlots(dir: string, history: History): Promise<string[]> {
  await makeDirs(dir);
  const names = ['loss', ...historyMetrics(history)];
  const files = plotFiles(history);
  const paths: string[] = [];
  for (const [i, name] of names.entries()) {
    const svg = await metricChartSvg(history, name);
    const path = join(dir, files[i]!);
    await writeFileAtomic(path, `<?xml version="1.0" encoding="UTF-8"?>\n${GENERATED_MARK}\n${svg}\n`);
    paths.push(path);
  }
  return paths;
}

/** The file names writePlots writes for `history`, loss.svg first. */
export function plotFiles(history: History): string[] {
  return ['loss', ...historyMetrics(history)].map((name) => `${name.replace(/[^A-Za-z0-9_-]/g, '_')}.svg`);
}
