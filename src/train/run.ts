// The training loop, one batch per next(): fit() drains it; a caller that needs control between
// batches (checkpoints, Ctrl-C, the playground's worker) steps it itself, and may change the batch
// size or the optimiser, or look at the next batch, between two steps.
import { ConfigError, check } from '../core/errors.js';
import { Rng, type RngState } from '../core/random.js';
import type { FloatArray, Tensor } from '../core/tensor.js';
import type { BatchSource } from '../data/source.js';
import type { Parameter } from '../nn/layer.js';
import type { OptimizerSpec } from '../optim/factory.js';
import type { Optimizer, OptimizerStateDict } from '../optim/optimizer.js';
import { learningRateAt, type Schedule } from '../optim/schedules.js';
import type { Callback, CallbackStateDict, TrainingState } from './callbacks.js';
import type { EpochLogs, History } from './history.js';
import { createMetric, type MetricAccumulator } from './metrics.js';
import type { Trainer } from './trainer.js';

/** The TrainingSnapshot layout version; a resume refuses any other. */
export const TRAINING_SNAPSHOT_VERSION = 1;

/**
 * Everything a run needs to continue exactly from the end of a completed epoch: weights, optimiser
 * state, generator state, history, the schedule's base rate and the callbacks' state. Arrays are copies.
 */
export interface TrainingSnapshot {
  /** TRAINING_SNAPSHOT_VERSION at the time of the snapshot. */
  version: number;
  /** Completed epochs. */
  epoch: number;
  /** The rate the schedule scales (the optimiser's rate when the run started). */
  baseLr: number;
  /** The shuffling and dropout generator's state. */
  rng: RngState;
  /** The training rows' order: each epoch shuffles the previous epoch's order in place. */
  order: Uint32Array;
  /** The epochs completed so far. */
  history: History;
  /** Set when the run had already stopped (early stopping) at this epoch. */
  stopReason: string | null;
  /** The optimiser's state (moments, step count, rate). */
  optimizer: OptimizerStateDict;
  /** Parameter values by parameter name. */
  weights: Record<string, FloatArray>;
  /** State of the callbacks that keep one (EarlyStopping), by their stateKey. */
  callbacks: Record<string, CallbackStateDict>;
}

/** What one next() reports: the batch just trained and, after an epoch's last batch, that epoch's logs. */
export interface TrainingStep {
  /** 1-based epoch and 0-based batch within it. */
  epoch: number;
  /** 0-based batch within the epoch. */
  batch: number;
  /** Batches this run has trained, this one included (a resumed run counts the snapshot's epochs at the current batch size). */
  step: number;
  /** The batch's mean loss J (before the update). */
  loss: number;
  /** Examples in the batch. */
  size: number;
  /** The completed epoch's logs when this batch ended it (or ended the run by divergence: then null). */
  epochEnd: EpochLogs | null;
}

/** What fit() returns: the per-epoch history and why training ended. */
export interface FitResult {
  /** One record per completed epoch. */
  history: History;
  /** Null when every epoch ran; otherwise why training stopped. */
  stopReason: string | null;
  /** True when training stopped because the loss or the weights became non-finite (the last good weights were restored). */
  diverged: boolean;
}

/** The resolved settings of a run (validated by Trainer.start); `batchSize` changes with setBatchSize. */
export interface RunSettings {
  source: BatchSource;
  trainIdx: Uint32Array;
  valSource: BatchSource | null;
  valIdx: Uint32Array | null;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  schedule: Schedule | undefined;
  callbacks: Callback[];
  keepHistory: boolean;
}

/**
 * A training run as an iterator of batches. Weights, optimiser and generator change only inside
 * next(), so between two calls the run can be stopped, and at an epoch boundary (`atEpochBoundary`)
 * snapshotted exactly.
 *
 * Each epoch shuffles the previous epoch's row order (with `shuffle`) and cuts it into batches from
 * its start. Between two steps a caller may:
 * - `setBatchSize(n)`: the next batch has the new size. Inside an epoch, the rows the epoch has not
 *   yet seen are cut into batches of the new size (so that epoch's batches differ in size); the
 *   epoch still ends once every training row has been seen, and the next one starts with a reshuffle.
 *   `epochEnd.loss` stays the mean over the epoch's rows.
 * - change `optimizer.lr` (the optimiser keeps its state; a schedule sets the rate again at the
 *   next epoch's start), or `setOptimizer(spec)` (a fresh optimiser on the current weights).
 * - `peek()` the next batch, the exact rows next() will train on, without changing anything.
 *
 * @example
 * const run = trainer.start(x, y, { epochs: 10 });
 * for (const step of run) if (step.epochEnd) save(run.snapshot());
 * run.result(); // { history, stopReason, diverged }
 */
export class TrainingRun implements IterableIterator<TrainingStep> {
  private readonly rng: Rng;
  private readonly params: Parameter[];
  private readonly state: TrainingState;
  private readonly metrics: MetricAccumulator[];
  private readonly lastGood: FloatArray[];
  private readonly order: Uint32Array;
  private baseLr: number;
  private history: History = [];
  private diverged = false;
  private finished = false;
  /** Completed epochs, and the next batch's start within the current epoch (-1: between epochs). */
  private epoch = 0;
  private start = -1;
  private batch = 0;
  private total = 0;
  private started = 0;
  private steps = 0;

  constructor(
    private readonly trainer: Trainer,
    private readonly s: RunSettings,
    resume?: TrainingSnapshot,
  ) {
    this.rng = new Rng(s.seed);
    this.params = trainer.network.parameters();
    const params = this.params;
    this.state = {
      stopTraining: false,
      stopReason: null,
      parameters: () => params,
      get lr() {
        return trainer.optimizer.lr;
      },
      set lr(v: number) {
        trainer.optimizer.lr = v;
      },
    };
    this.metrics = trainer.options.metrics.map(createMetric);
    this.order = s.trainIdx.slice();
    this.baseLr = this.optimizer.lr;
    for (const c of s.callbacks) c.onTrainBegin?.(this.state);
    if (resume) this.restore(resume);
    this.steps = this.epoch * Math.ceil(s.trainIdx.length / s.batchSize);
    this.lastGood = params.map((p) => p.value.data.slice());
    if (this.epoch >= s.epochs || this.state.stopTraining) this.finish();
  }

  /** The run itself, so that `for (const step of run)` trains it to the end. */
  [Symbol.iterator](): this {
    return this;
  }

  /** True between epochs (before the first batch of an epoch), where snapshot() is exact. */
  get atEpochBoundary(): boolean {
    return this.start < 0;
  }

  /** Completed epochs so far. */
  get completedEpochs(): number {
    return this.epoch;
  }

  /** True once the last epoch has ended or training stopped (early stopping, divergence). */
  get done(): boolean {
    return this.finished;
  }

  /** The optimiser the next step uses (its `lr` is settable between steps). */
  get optimizer(): Optimizer {
    return this.trainer.optimizer;
  }

  /** Examples in the next batch (the last batch of an epoch may be smaller). */
  get batchSize(): number {
    return this.s.batchSize;
  }

  /** Batches per epoch at the current batch size. */
  get batchesPerEpoch(): number {
    return Math.ceil(this.s.trainIdx.length / this.s.batchSize);
  }

  /** Batches trained so far (see TrainingStep.step). */
  get stepCount(): number {
    return this.steps;
  }

  /** Sets the batch size from the next batch on (`'all'`: every training row); see the class comment for mid-epoch changes. */
  setBatchSize(size: number | 'all'): void {
    this.s.batchSize = resolveBatchSize(size, this.s.trainIdx.length, 'setBatchSize');
  }

  /**
   * Replaces the optimiser by a fresh one from `spec` (no momentum or moments yet) on the current
   * weights, from the next step on; its rate becomes the rate a schedule scales. Returns it.
   */
  setOptimizer(spec: OptimizerSpec): Optimizer {
    const next = this.trainer.setOptimizer(spec);
    this.baseLr = next.lr;
    return next;
  }

  /**
   * The rows next() will train on, as copies ([count, features] inputs after the trainer's
   * preprocessing, and their targets). Changes nothing: between epochs it computes the coming
   * shuffle on a copy of the generator.
   */
  peek(): {
    /** The batch's inputs [size, n_x]. */
    x: Tensor;
    /** The batch's targets [size, n_y]. */
    y: Tensor;
  } {
    check(!this.finished, ConfigError, () => `peek: the run has ended; there is no next batch`);
    let order = this.order;
    let start = this.start;
    if (start < 0) {
      start = 0;
      if (this.s.shuffle) {
        order = this.order.slice();
        const ahead = new Rng(0);
        ahead.setState(this.rng.getState());
        ahead.shuffleInPlace(order);
      }
    }
    const count = Math.min(this.s.batchSize, order.length - start);
    const { x, y } = this.trainer.loadBatch(this.s.source, order, start, count);
    return { x: x.clone(), y: y.clone() };
  }

  /** Trains one batch (starting an epoch first when between epochs). */
  next(): IteratorResult<TrainingStep> {
    if (this.finished) return { done: true, value: undefined };
    const { s, params, state } = this;
    const n = s.trainIdx.length;
    if (this.start < 0) this.beginEpoch();
    const count = Math.min(s.batchSize, n - this.start);
    const { x: xb, y: yb } = this.trainer.loadBatch(s.source, this.order, this.start, count);
    const { loss, output } = this.trainer.computeGradients(xb, yb, this.rng);
    this.steps++;
    const step: TrainingStep = {
      epoch: this.epoch + 1,
      batch: this.batch,
      step: this.steps,
      loss,
      size: count,
      epochEnd: null,
    };
    if (!Number.isFinite(loss)) {
      this.diverge(`the loss became ${loss} at epoch ${this.epoch + 1}, batch ${this.batch + 1}`);
      return { done: false, value: step };
    }
    for (const m of this.metrics) m.update(output.data, yb.data, count, yb.shape[1]!);
    this.optimizer.step();
    this.total += loss * count;
    for (const c of s.callbacks) c.onBatchEnd?.(this.batch, { loss, size: count }, state);
    this.start += count;
    this.batch++;
    if (this.start >= n) {
      // The last update of the epoch may itself have overflowed the weights (its loss was finite).
      if (!params.every((p) => allFinite(p.value.data))) {
        this.diverge(`the weights became non-finite during epoch ${this.epoch + 1}`);
        return { done: false, value: step };
      }
      step.epochEnd = this.endEpoch();
    }
    return { done: false, value: step };
  }

  /** Trains to the end and returns the result. */
  drain(): FitResult {
    while (!this.next().done);
    return this.result();
  }

  /** History, stop reason and divergence so far (final once the run is done). */
  result(): FitResult {
    return { history: this.history, stopReason: this.state.stopReason, diverged: this.diverged };
  }

  /** Ends the run between batches (as if training stopped): restores the schedule's base rate and runs onTrainEnd. */
  stop(reason = 'stopped'): void {
    if (this.finished) return;
    this.state.stopTraining = true;
    this.state.stopReason ??= reason;
    this.finish();
  }

  /** The state at the end of the last completed epoch; only between epochs. */
  snapshot(): TrainingSnapshot {
    check(
      this.atEpochBoundary,
      ConfigError,
      () => `snapshot: the run is inside epoch ${this.epoch + 1}; snapshots are taken between epochs`,
    );
    const callbacks: Record<string, CallbackStateDict> = {};
    for (const c of this.s.callbacks) if (c.stateKey && c.stateDict) callbacks[c.stateKey] = c.stateDict();
    return {
      version: TRAINING_SNAPSHOT_VERSION,
      epoch: this.epoch,
      baseLr: this.baseLr,
      rng: this.rng.getState(),
      order: this.order.slice(),
      history: this.history.map((h) => ({ ...h })),
      stopReason: this.state.stopTraining ? this.state.stopReason : null,
      optimizer: this.optimizer.stateDict(),
      weights: Object.fromEntries(this.params.map((p) => [p.name, p.value.data.slice()])),
      callbacks,
    };
  }

  private beginEpoch(): void {
    const { s, optimizer } = this;
    this.started = performance.now();
    if (s.schedule) optimizer.lr = learningRateAt(s.schedule, this.baseLr, this.epoch);
    for (const c of s.callbacks) c.onEpochBegin?.(this.epoch + 1, this.state);
    if (s.shuffle) this.rng.shuffleInPlace(this.order);
    for (const m of this.metrics) m.reset();
    this.total = 0;
    this.batch = 0;
    this.start = 0;
  }

  private endEpoch(): EpochLogs {
    const { s, params } = this;
    const logs: EpochLogs = {
      epoch: this.epoch + 1,
      loss: this.total / s.trainIdx.length,
      lr: this.optimizer.lr,
      seconds: 0,
    };
    for (const m of this.metrics) logs[m.name] = m.result();
    if (s.valSource && s.valIdx) {
      const v = this.trainer.evaluate(s.valSource, Math.max(s.batchSize, 256), s.valIdx);
      for (const [k, value] of Object.entries(v)) logs[`val_${k}`] = value;
    }
    logs.seconds = (performance.now() - this.started) / 1000;
    if (!s.keepHistory) this.history.length = 0;
    this.history.push(logs);
    params.forEach((p, i) => this.lastGood[i]!.set(p.value.data));
    this.epoch++;
    this.start = -1;
    for (const c of s.callbacks) c.onEpochEnd?.(logs, this.state);
    if (this.state.stopTraining || this.epoch >= s.epochs) this.finish();
    return logs;
  }

  private diverge(what: string): void {
    this.diverged = true;
    this.params.forEach((p, i) => p.value.data.set(this.lastGood[i]!));
    this.state.stopTraining = true;
    this.state.stopReason = `${what}; training stopped and the weights of the last completed epoch were restored (try a smaller learning rate or --standardize)`;
    this.start = -1;
    this.finish();
  }

  private finish(): void {
    this.finished = true;
    if (this.s.schedule) this.optimizer.lr = this.baseLr;
    for (const c of this.s.callbacks) c.onTrainEnd?.(this.state);
  }

  private restore(snap: TrainingSnapshot): void {
    check(
      snap.version === TRAINING_SNAPSHOT_VERSION,
      ConfigError,
      () =>
        `resume: training snapshot version ${snap.version} is not supported (expected ${TRAINING_SNAPSHOT_VERSION})`,
    );
    check(
      Number.isInteger(snap.epoch) && snap.epoch >= 0 && snap.epoch <= this.s.epochs,
      ConfigError,
      () => `resume: the snapshot is at epoch ${snap.epoch}, the run has ${this.s.epochs} epochs`,
    );
    const entries = this.s.keepHistory ? snap.epoch : Math.min(snap.epoch, 1);
    check(
      snap.history.length === entries,
      ConfigError,
      () => `resume: the snapshot has ${snap.history.length} history entries for ${snap.epoch} epochs`,
    );
    for (const p of this.params) {
      const w = snap.weights[p.name];
      check(
        w !== undefined && w.length === p.value.size,
        ConfigError,
        () => `resume: the snapshot's weights lack '${p.name}' of ${p.value.size} values`,
      );
      p.value.data.set(w);
    }
    this.optimizer.loadStateDict(snap.optimizer);
    this.rng.setState(snap.rng);
    check(
      snap.order.length === this.order.length &&
        [...snap.order].sort((a, b) => a - b).every((v, i) => v === this.s.trainIdx[i]),
      ConfigError,
      () =>
        `resume: the snapshot's row order covers ${snap.order.length} rows, not this run's ${this.order.length} training rows (same data and validation split?)`,
    );
    this.order.set(snap.order);
    this.baseLr = snap.baseLr;
    this.optimizer.lr = snap.baseLr;
    this.epoch = snap.epoch;
    this.history = snap.history.map((h) => ({ ...h }));
    const keys = new Set(this.s.callbacks.map((c) => c.stateKey));
    for (const key of Object.keys(snap.callbacks)) {
      check(
        keys.has(key),
        ConfigError,
        () =>
          `resume: the snapshot holds the state of callback '${key}'; pass that callback again (e.g. the same EarlyStopping)`,
      );
    }
    for (const c of this.s.callbacks) {
      if (!c.stateKey || !c.loadStateDict) continue;
      const cs = snap.callbacks[c.stateKey];
      check(
        cs !== undefined,
        ConfigError,
        () =>
          `resume: the snapshot has no state for callback '${c.stateKey}' (it has ${Object.keys(snap.callbacks).join(', ') || 'none'})`,
      );
      c.loadStateDict(cs, this.state);
    }
    if (snap.stopReason !== null) {
      this.state.stopTraining = true;
      this.state.stopReason = snap.stopReason;
    }
  }
}

/** A batch size for n training rows: `'all'` is n, larger sizes are cut to n. */
export function resolveBatchSize(size: number | 'all', n: number, what: string): number {
  const resolved = size === 'all' ? n : Math.min(size, n);
  check(
    Number.isInteger(resolved) && resolved > 0,
    ConfigError,
    () => `${what}: batchSize must be a positive integer or 'all', got ${size}`,
  );
  return resolved;
}

function allFinite(data: FloatArray): boolean {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return false;
  return true;
}
