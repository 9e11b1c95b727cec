// Learning-rate schedules: the rate for each epoch as a closed-form function of the epoch.
import { ConfigError, check } from '../core/errors.js';

/**
 * A learning-rate schedule: the rate of each epoch as a closed-form function of the epoch and the
 * optimiser's base rate (see learningRateAt).
 *
 * @example
 * model.fit(x, y, { epochs: 30, schedule: { name: 'cosine', tMax: 30 } });
 */
export type Schedule =
  | {
      /** lr = base at every epoch. */
      name: 'constant';
    }
  /** lr = base · γ^⌊epoch / stepSize⌋ (PyTorch's StepLR). */
  | {
      /** StepLR. */
      name: 'step';
      /** Epochs between two decays (a positive integer). */
      stepSize: number;
      /** Factor γ > 0 of each decay (default 0.1). */
      gamma?: number;
    }
  /** lr = base · γ^epoch (ExponentialLR). */
  | {
      /** ExponentialLR. */
      name: 'exponential';
      /** Factor γ > 0 per epoch. */
      gamma: number;
    }
  /** lr = minLr + (base − minLr)(1 + cos(π·epoch/tMax))/2 (CosineAnnealingLR's closed form). */
  | {
      /** CosineAnnealingLR. */
      name: 'cosine';
      /** Epochs of the half cosine (a positive integer): the rate reaches minLr at epoch tMax. */
      tMax: number;
      /** The final rate (≥ 0, default 0). */
      minLr?: number;
    };

/** The schedules by name: `constant`, `step`, `exponential`, `cosine`. */
export type ScheduleName = Schedule['name'];
/** Every ScheduleName. */
export const SCHEDULES: readonly ScheduleName[] = ['constant', 'step', 'exponential', 'cosine'];

/** Throws a ConfigError naming the first invalid field of `s` (or an unknown schedule name); returns nothing. */
export function validateSchedule(s: Schedule): void {
  switch (s.name) {
    case 'constant':
      return;
    case 'step':
      check(
        Number.isInteger(s.stepSize) && s.stepSize > 0,
        ConfigError,
        () => `step schedule: stepSize must be a positive integer, got ${s.stepSize}`,
      );
      check(
        s.gamma === undefined || (Number.isFinite(s.gamma) && s.gamma > 0),
        ConfigError,
        () => `step schedule: gamma must be > 0, got ${s.gamma}`,
      );
      return;
    case 'exponential':
      check(
        Number.isFinite(s.gamma) && s.gamma > 0,
        ConfigError,
        () => `exponential schedule: gamma must be > 0, got ${s.gamma}`,
      );
      return;
    case 'cosine':
      check(
        Number.isInteger(s.tMax) && s.tMax > 0,
        ConfigError,
        () => `cosine schedule: tMax must be a positive integer, got ${s.tMax}`,
      );
      check(
        s.minLr === undefined || (Number.isFinite(s.minLr) && s.minLr >= 0),
        ConfigError,
        () => `cosine schedule: minLr must be ≥ 0, got ${s.minLr}`,
      );
      return;
    default: {
      const unknown: never = s;
      throw new ConfigError(
        `unknown schedule '${(unknown as { name: string }).name}'; expected one of ${SCHEDULES.join(', ')}`,
      );
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
