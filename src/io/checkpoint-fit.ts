// fit() with checkpoints every N epochs and a stop signal (Ctrl-C), and resuming from a checkpoint.
import type { Backend } from '../backend/backend.js';
import { ConfigError, check } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import type { BatchSource } from '../data/source.js';
import type { Sequential } from '../model/sequential.js';
import type { FitResult, TrainingSnapshot } from '../train/run.js';
import type { FitOptions } from '../train/trainer.js';
import { loadCheckpoint, type StoredFitOptions, saveCheckpoint } from './checkpoint.js';

/** Where and how often fitWithCheckpoints writes its checkpoint. */
export interface CheckpointOptions {
  /** The checkpoint directory (replaced atomically at every write). */
  dir: string;
  /** Write after every `every` completed epochs (absent: only when the signal stops training). */
  every?: number;
}

/** fit() options plus the checkpoint, the stop signal and a write notification. */
export interface CheckpointedFitOptions extends FitOptions {
  /** Where and how often to checkpoint (absent: no checkpoint is written). */
  checkpoint?: CheckpointOptions;
  /** When aborted, training stops at the next batch boundary and the last completed epoch is checkpointed. */
  signal?: AbortSignal;
  /** Stored in the checkpoint as it is (the command line keeps its resolved configuration there). */
  config?: Record<string, unknown>;
  /** Told after each checkpoint write, with the epoch it holds. */
  onCheckpoint?: (epoch: number) => void;
}

/** fit()'s result plus whether the signal stopped training and the last checkpoint's epoch. */
export interface CheckpointedFitResult extends FitResult {
  /** True when the signal stopped training. */
  interrupted: boolean;
  /** The epoch of the last checkpoint written, or null. */
  checkpointEpoch: number | null;
}

/**
 * Trains like model.fit, writing a checkpoint of the end of every `checkpoint.every`-th epoch
 * (weights, optimiser state, generator state, history, early-stopping state) that resumeTraining
 * continues bit for bit. Between batches it yields to the event loop, so signals are handled;
 * an aborted `signal` checkpoints the last completed epoch (not the position inside the epoch).
 *
 * @example
 * await fitWithCheckpoints(model, x, y, { epochs: 20, seed: 1, checkpoint: { dir: 'run/checkpoint', every: 5 } });
 * // later, after a crash:
 * const { model: resumed } = await resumeTraining('run/checkpoint', x, y);
 */
export async function fitWithCheckpoints(
  model: Sequential,
  x: Tensor | BatchSource,
  y: Tensor | null,
  options: CheckpointedFitOptions = {},
): Promise<CheckpointedFitResult> {
  const { checkpoint, signal, config, onCheckpoint, ...fitOptions } = options;
  const every = checkpoint?.every;
  check(
    every === undefined || (Number.isInteger(every) && every >= 1),
    ConfigError,
    () => `checkpoint.every must be a positive integer, got ${every}`,
  );
  const stored = checkpoint ? storedFit(fitOptions, every ?? null) : null;
  const run = model.start(x, y, fitOptions);
  const keep = checkpoint !== undefined;
  let last: TrainingSnapshot | null = keep && run.atEpochBoundary ? run.snapshot() : null;
  let checkpointEpoch: number | null = null;
  const write = async (snap: TrainingSnapshot): Promise<void> => {
    await saveCheckpoint(checkpoint!.dir, model, snap, { fit: stored!, config });
    checkpointEpoch = snap.epoch;
    onCheckpoint?.(snap.epoch);
  };
  for (;;) {
    if (signal?.aborted) {
      run.stop('interrupted');
      if (keep && last && last.epoch !== checkpointEpoch) await write(last);
      return { ...run.result(), interrupted: true, checkpointEpoch };
    }
    const r = run.next();
    if (r.done) break;
    if (r.value.epochEnd && keep && run.atEpochBoundary) {
      last = run.snapshot();
      if (every !== undefined && last.epoch % every === 0) await write(last);
    }
    if (signal) await new Promise((resolve) => setImmediate(resolve));
  }
  return { ...run.result(), interrupted: false, checkpointEpoch };
}

/**
 * Continues the run a checkpoint directory holds to its original number of epochs, with the same
 * data (x, y, and explicit validation data if the run had it) and the same kind of callbacks
 * (an EarlyStopping finds its state again). Keeps checkpointing to `dir`.
 */
export async function resumeTraining(
  dir: string,
  x: Tensor | BatchSource,
  y: Tensor | null,
  options: Pick<CheckpointedFitOptions, 'callbacks' | 'validationData' | 'signal' | 'onCheckpoint'> & {
    backend?: Backend;
  } = {},
): Promise<{
  /** The model trained to the run's last epoch (or to where it stopped). */
  model: Sequential;
  /** The whole run's history and how it ended. */
  result: CheckpointedFitResult;
}> {
  const { backend, ...rest } = options;
  const c = await loadCheckpoint(dir, { backend });
  const result = await fitWithCheckpoints(c.model, x, y, {
    ...fitOptionsOf(c.fit),
    ...rest,
    resume: c.snapshot,
    checkpoint: { dir, ...(c.fit.every === null ? {} : { every: c.fit.every }) },
    config: c.config ?? undefined,
  });
  return { model: c.model, result };
}

/** The fit() options a checkpoint stored. */
export function fitOptionsOf(f: StoredFitOptions): FitOptions {
  return {
    epochs: f.epochs,
    batchSize: f.batchSize,
    shuffle: f.shuffle,
    validationSplit: f.validationSplit,
    seed: f.seed,
    ...(f.schedule ? { schedule: f.schedule } : {}),
  };
}

function storedFit(o: FitOptions, every: number | null): StoredFitOptions {
  return {
    epochs: o.epochs ?? 1,
    batchSize: o.batchSize ?? 32,
    shuffle: o.shuffle ?? true,
    validationSplit: o.validationSplit ?? 0,
    seed: o.seed ?? 0,
    schedule: o.schedule ?? null,
    every,
  };
}
