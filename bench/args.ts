// Tiny argument reader shared by the benchmark scripts (flags as --name value or --flag).
export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

/** Inference is timed as the median of this many passes over the test images, after a warm-up pass (the Python runners use 5 too). */
export const INFERENCE_PASSES = 5;

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** One system's figures on the benchmark task, printed as the last line of a runner's output. */
export interface SystemResult {
  system: string;
  epochSeconds: number[];
  /** Median epoch time over epochs 2.. (the first includes warm-up). */
  medianEpochSeconds: number;
  trainSamplesPerSecond: number;
  testAccuracy: number;
  inferenceSamplesPerSecond: number;
  peakRssMB: number;
  note?: string;
  /** Test accuracy of further runs with seeds 2, 3, … (backprop only: one seed is a sample, not the figure). */
  seedAccuracies?: number[];
}
