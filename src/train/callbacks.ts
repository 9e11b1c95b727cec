// Training callbacks: hooks into fit(), and early stopping with best-weights restore.
import { ConfigError, check } from '../core/errors.js';
import type { FloatArray } from '../core/tensor.js';
import type { Parameter } from '../nn/layer.js';
import type { EpochLogs } from './history.js';

/** What a callback can see and steer. Set `stopTraining` to end fit() after the current epoch. */
export interface TrainingState {
  /** Set to true to end training after the current epoch. */
  stopTraining: boolean;
  /** Why training stopped early, when it did. */
  stopReason: string | null;
  /** The network's parameters (values and gradients, by name). */
  parameters(): Parameter[];
  /** The optimiser's learning rate (settable). */
  lr: number;
}

/** A callback's state as plain data: scalars (JSON-safe; NaN as null) and named arrays. */
export interface CallbackStateDict {
  /** Scalars by name. */
  values: Record<string, number | string | null>;
  /** Arrays by name (saved in state.safetensors by checkpoints). */
  arrays: Record<string, FloatArray>;
}

/**
 * Hooks into fit(), all optional, called in this order: onTrainBegin, then per epoch onEpochBegin,
 * onBatchEnd after each batch, onEpochEnd; finally onTrainEnd. Epochs are numbered from 1 in logs.
 *
 * @example
 * const printer: Callback = { onEpochEnd: (logs) => console.log(logs.epoch, logs.loss) };
 * model.fit(x, y, { epochs: 10, callbacks: [printer] });
 */
export interface Callback {
  /** Callbacks that keep state across epochs name it here, so a checkpoint can save and restore it. */
  readonly stateKey?: string;
  /** The state a checkpoint saves (with `stateKey`). */
  stateDict?(): CallbackStateDict;
  /** Called after onTrainBegin when a run resumes from a snapshot. */
  loadStateDict?(state: CallbackStateDict, training: TrainingState): void;
  /** Before the first epoch (also when resuming). */
  onTrainBegin?(state: TrainingState): void;
  /** Before each epoch. */
  onEpochBegin?(epoch: number, state: TrainingState): void;
  /** After each batch: its index in the epoch, its mean loss and its number of examples. */
  onBatchEnd?(batch: number, logs: { loss: number; size: number }, state: TrainingState): void;
  /** After each epoch, with its history record (losses, metrics, lr, seconds). */
  onEpochEnd?(logs: EpochLogs, state: TrainingState): void;
  /** After the last epoch, or when training stopped early. */
  onTrainEnd?(state: TrainingState): void;
}

/** When EarlyStopping stops and what it restores. */
export interface EarlyStoppingOptions {
  /** The logged quantity to watch (default `val_loss`, or `loss` without validation data). */
  monitor?: string;
  /** Epochs without improvement before stopping (default 5). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** `min` for losses, `max` for accuracies; default: `max` when the name ends in accuracy or r2. */
  mode?: 'min' | 'max';
  /** Put back the weights of the best epoch when stopping or at the end (default true). */
  restoreBestWeights?: boolean;
}

/**
 * Stops training when `monitor` has not improved for `patience` epochs (Keras's EarlyStopping) and,
 * by default, restores the weights of the best epoch. Throws a ConfigError at the first epoch end
 * when `monitor` is not logged.
 *
 * @example
 * model.fit(x, y, { epochs: 200, validationSplit: 0.2, callbacks: [new EarlyStopping({ patience: 10 })] });
 */
export class EarlyStopping implements Callback {
  /** `'early_stopping'`. */
  readonly stateKey = 'early_stopping';
  /** Epochs without improvement tolerated. */
  readonly patience: number;
  /** Smallest change that counts as an improvement (≥ 0). */
  readonly minDelta: number;
  /** Whether the best epoch's weights are put back. */
  readonly restoreBestWeights: boolean;
  private monitor: string | undefined;
  private mode: 'min' | 'max' | undefined;
  private best = NaN;
  private wait = 0;
  private bestWeights: FloatArray[] | null = null;
  /** The 1-based epoch with the best monitored value. */
  bestEpoch = 0;

  /** Throws a ConfigError when patience is not a non-negative integer. */
  constructor(options: EarlyStoppingOptions = {}) {
    this.monitor = options.monitor;
    this.patience = options.patience ?? 5;
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.mode = options.mode;
    this.restoreBestWeights = options.restoreBestWeights ?? true;
    check(
      Number.isInteger(this.patience) && this.patience >= 0,
      ConfigError,
      () => `EarlyStopping: patience must be a non-negative integer, got ${options.patience}`,
    );
  }

  /** Forgets the best value, the wait and the best weights. */
  onTrainBegin(): void {
    this.best = NaN;
    this.wait = 0;
    this.bestWeights = null;
    this.bestEpoch = 0;
  }

  /** Records an improvement (and the weights), or counts an epoch without one; stops once more than `patience` epochs in a row have none. */
  onEpochEnd(logs: EpochLogs, state: TrainingState): void {
    const monitor = this.monitor ?? ('val_loss' in logs ? 'val_loss' : 'loss');
    const value = logs[monitor];
    check(
      value !== undefined,
      ConfigError,
      () => `EarlyStopping: '${monitor}' is not logged; available: ${Object.keys(logs).join(', ')}`,
    );
    const mode = this.mode ?? (/accuracy$|r2$/.test(monitor) ? 'max' : 'min');
    const improved =
      Number.isNaN(this.best) ||
      (mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta);
    if (improved && Number.isFinite(value)) {
      this.best = value;
      this.wait = 0;
      this.bestEpoch = logs.epoch;
      if (this.restoreBestWeights) this.bestWeights = state.parameters().map((p) => p.value.data.slice());
      return;
    }
    this.wait++;
    if (this.wait > this.patience) {
      state.stopTraining = true;
      state.stopReason = `early stopping: ${monitor} did not improve for ${this.patience} epochs (best ${this.best.toPrecision(5)} at epoch ${this.bestEpoch})`;
    }
  }

  /** best (null while none), wait, bestEpoch, and the best weights as arrays `best.<i>` in parameter order. */
  stateDict(): CallbackStateDict {
    const arrays: Record<string, FloatArray> = {};
    this.bestWeights?.forEach((w, i) => (arrays[`best.${i}`] = w.slice()));
    return {
      values: { best: Number.isNaN(this.best) ? null : this.best, wait: this.wait, bestEpoch: this.bestEpoch },
      arrays,
    };
  }

  loadStateDict(s: CallbackStateDict, training: TrainingState): void {
    const { best, wait, bestEpoch } = s.values;
    check(
      (best === null || typeof best === 'number') && Number.isInteger(wait) && Number.isInteger(bestEpoch),
      ConfigError,
      () => `EarlyStopping.loadStateDict: expected numbers best, wait, bestEpoch, got ${JSON.stringify(s.values)}`,
    );
    const params = training.parameters();
    const saved = Object.keys(s.arrays).length;
    check(
      saved === 0 || saved === params.length,
      ConfigError,
      () => `EarlyStopping.loadStateDict: ${saved} best-weight arrays for ${params.length} parameters`,
    );
    this.best = best === null ? NaN : (best as number);
    this.wait = wait as number;
    this.bestEpoch = bestEpoch as number;
    this.bestWeights =
      saved === 0
        ? null
        : params.map((p, i) => {
            const w = s.arrays[`best.${i}`];
            check(
              w !== undefined && w.length === p.value.size,
              ConfigError,
              () => `EarlyStopping.loadStateDict: best.${i} should have ${p.value.size} values`,
            );
            return w.slice();
          });
  }

  /** Puts back the best epoch's weights when `restoreBestWeights`. */
  onTrainEnd(state: TrainingState): void {
    if (this.restoreBestWeights && this.bestWeights) {
      state.parameters().forEach((p, i) => p.value.data.set(this.bestWeights![i]!));
    }
  }
}
