// Text formatting of metrics and histories for the terminal.
import type { EpochLogs } from '../node.js';

/** `loss 0.1234  accuracy 0.9650` (bookkeeping keys left out). */
export function formatMetrics(
  metrics: Record<string, number>,
  skip: readonly string[] = ['epoch', 'seconds', 'lr'],
): string {
  return Object.entries(metrics)
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => `${k} ${formatNumber(v)}`)
    .join('  ');
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(3);
  return v.toFixed(4);
}

/** `epoch 3/20  loss 0.1234  accuracy 0.9650  val_loss 0.2000  0.12s` */
export function epochLine(logs: EpochLogs, epochs: number): string {
  return `epoch ${logs.epoch}/${epochs}  ${formatMetrics(logs)}  ${logs.seconds.toFixed(2)}s`;
}
