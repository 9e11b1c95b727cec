// Learning-rate schedules: the rate for each epoch as a closed-form function of the epoch.
import { ConfigError, check } from '../core/errors.js';

export type Schedule =
  | { name: 'constant' }
  /** lr = base · γ^⌊epoch / stepSize⌋ (PyTorch's StepLR). */
  | { name: 'step'; stepSize: number; gamma?: number }
  /** lr = base · γ^epoch (ExponentialLR). */
  | { name: 'exponential'; gamma: number }
  /** lr = minLr + (base − minLr)(1 + cos(π·epoch/tMax))/2 (CosineAnnealingLR's closed form). */
  | { name: 'cosine'; tMax: number; minLr?: number };

export type ScheduleName = Schedule['name'];
export const SCHEDULES: readonly ScheduleName[] = ['constant', 'step', 'exponential', 'cosine'];

export function validateSchedule(s: Schedule): void {
  switch (s.name) {
    case 'constant':
      return;
    case 'step':
      check(Number.isInteger(s.stepSize) && s.stepSize > 0, ConfigError, () => `step schedule: stepSize must be a positive integer, got ${s.stepSize}`);
      check(s.gamma === undefined || (Number.isFinite(s.gamma) && s.gamma > 0), ConfigError, () => `step schedule: gamma must be > 0, got ${s.gamma}`);
      return;
    case 'exponential':
      check(Number.isFinite(s.gamma) && s.gamma > 0, ConfigError, () => `exponential schedule: gamma must be > 0, got ${s.gamma}`);
      return;
    case 'cosine':
      check(Number.isInteger(s.tMax) && s.tMax > 0, ConfigError, () => `cosine schedule: tMax must be a positive integer, got ${s.tMax}`);
      check(s.minLr === undefined || (Number.isFinite(s.minLr) && s.minLr >= 0), ConfigError, () => `cosine schedule: minLr must be ≥ 0, got ${s.minLr}`);
      return;
    default: {
      const unknown: never = s;
      throw new ConfigError(`unknown schedule '${(unknown as { name: string }).name}'; expected one of ${SCHEDULES.join(', ')}`);
    }
  }
}

/**
 * The learning rate during epoch `epoch` (0-based) for a base rate `baseLr`.
 *
 * @example
 * learningRateAt({ name: 'step', stepSize: 3, gamma: 0.5 }, 0.1, 4); // 0.05
 */
export function learningRateAt(s: Schedule, baseLr: number, epoch: number): number {
  switch (s.name) {
    case 'constant':
      return baseLr;
    case 'step':
      return baseLr * (s.gamma ?? 0.1) ** Math.floor(epoch / s.stepSize);
    case 'exponential':
      return baseLr * s.gamma ** epoch;
    case 'cosine': {
      const minLr = s.minLr ?? 0;
      return minLr + ((baseLr - minLr) * (1 + Math.cos((Math.PI * epoch) / s.tMax))) / 2;
    }
  }
}
