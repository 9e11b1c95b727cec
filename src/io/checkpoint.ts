// A training checkpoint on disk: the model at the end of an epoch, the optimiser's state, the
// generator's state, the history and callbacks' state, and how the run was configured.

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Backend } from '../backend/backend.js';
import { check, FormatError } from '../core/errors.js';
import type { RngState } from '../core/random.js';
import { type FloatArray, Tensor } from '../core/tensor.js';
import type { Sequential } from '../model/sequential.js';
import type { OptimizerSpec } from '../optim/factory.js';
import type { OptimizerStateDict } from '../optim/optimizer.js';
import type { Schedule } from '../optim/schedules.js';
import type { CallbackStateDict } from '../train/callbacks.js';
import type { EpochLogs } from '../train/history.js';
import { TRAINING_SNAPSHOT_VERSION, type TrainingSnapshot } from '../train/run.js';
import { VERSION } from '../version.js';
import { MODEL_FILE, modelFromParts, modelJson, WEIGHTS_FILE } from './model-dir.js';
import { makeDirs } from './out-path.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

/** checkpoint.json's `format`: marks a backprop checkpoint. */
export const CHECKPOINT_FORMAT = 'backprop-checkpoint';
/** checkpoint.json's `formatVersion` written and read by this version; loadCheckpoint refuses others. */
export const CHECKPOINT_FORMAT_VERSION = 1;
/** The checkpoint directory's description file. */
export const CHECKPOINT_FILE = 'checkpoint.json';
export const CHECKPOINT_STATE_FILE = 'state.safetensors';
/** The model at the checkpoint, a model directory of its own. */
export const CHECKPOINT_MODEL_DIR = 'model';
/** Where `train --out DIR` keeps its latest checkpoint. */
export const CHECKPOINT_SUBDIR = 'checkpoint';

/** The fit() options a checkpoint can restore (explicit validation data and callbacks are the caller's). */
export interface StoredFitOptions {
  /** The run's total epochs. */
  epochs: number;
  /** Examples per batch, or `'all'`. */
  batchSize: number | 'all';
  /** Whether each epoch reshuffles. */
  shuffle: boolean;
  /** The held-out last fraction. */
  validationSplit: number;
  /** The run's seed. */
  seed: number;
  /** The learning-rate schedule, or null. */
  schedule: Schedule | null;
  /** Epochs between checkpoints (null: written only when training was stopped). */
  every: number | null;
}

/** The contents of checkpoint.json. */
export interface CheckpointJson {
  /** `'backprop-checkpoint'`. */
  format: typeof CHECKPOINT_FORMAT;
  /** CHECKPOINT_FORMAT_VERSION. */
  formatVersion: number;
  /** The library that wrote the file. */
  library: {
    /** `'backprop'`. */
    name: 'backprop';
    /** Its VERSION. */
    version: string;
  };
  /** Completed epochs. */
  epoch: number;
  /** The rate the schedule scales. */
  baseLr: number;
  /** The shuffling and dropout generator's state. */
  rng: RngState;
  /** Non-finite numbers are written as the strings "NaN", "Infinity", "-Infinity". */
  history: Record<string, number | string>[];
  /** Why the run had stopped at this epoch, or null. */
  stopReason: string | null;
  /** The optimiser's state without its arrays (those are in state.safetensors). */
  optimizer: Omit<OptimizerStateDict, 'state'> & {
    /** Slot names per parameter name; array `optimizer.<parameter>.<slot>` in state.safetensors. */
    slots: Record<string, string[]>;
  };
  /** The callbacks' scalar state by stateKey (their arrays are in state.safetensors). */
  callbacks: Record<string, CallbackStateDict['values']>;
  /** δ of the Huber loss. */
  huberDelta: number;
  /** The fit options to continue with. */
  fit: StoredFitOptions;
  /** The command line's resolved configuration (data, splits, ...), or null for library runs. */
  config: Record<string, unknown> | null;
}

/** A checkpoint as loadCheckpoint returns it: the model, the run's snapshot and its options. */
export interface Checkpoint {
  /** The model with its weights at the checkpoint, compiled with the run's loss and optimiser. */
  model: Sequential;
  /** What `fit(…, { resume: snapshot })` continues from. */
  snapshot: TrainingSnapshot;
  /** The fit options the run used. */
  fit: StoredFitOptions;
  /** The command line's resolved configuration, or null for library runs. */
  config: Record<string, unknown> | null;
}

/** Writes a checkpoint directory atomically: a reader sees the previous checkpoint or this one, never a mix. */
export async function saveCheckpoint(
  dir: string,
  model: Sequential,
  snapshot: TrainingSnapshot,
  meta: { fit: StoredFitOptions; config?: Record<string, unknown> | null },
): Promise<void> {
  const params = model.parameters();
  const shapeOf = new Map(params.map((p) => [p.name, p.value.shape]));
  const tensor = (data: FloatArray, name: string): Tensor =>
    new Tensor(data.slice(), shapeOf.get(name) ?? [data.length]);
  const weights: Record<string, Tensor> = {};
  for (const p of params) weights[p.name] = tensor(snapshot.weights[p.name]!, p.name).astype('float32');
  const state: Record<string, Tensor> = {};
  const slots: Record<string, string[]> = {};
  for (const [param, s] of Object.entries(snapshot.optimizer.state)) {
    slots[param] = Object.keys(s);
    for (const [slot, data] of Object.entries(s)) state[`optimizer.${param}.${slot}`] = tensor(data, param);
  }
  state.order = new Tensor(Float64Array.from(snapshot.order), [snapshot.order.length]);
  const callbacks: CheckpointJson['callbacks'] = {};
  for (const [key, cs] of Object.entries(snapshot.callbacks)) {
    callbacks[key] = cs.values;
    for (const [name, data] of Object.entries(cs.arrays))
      state[`callbacks.${key}.${name}`] = new Tensor(data.slice(), [data.length]);
  }
  const { state: _omitted, ...optimizer } = snapshot.optimizer;
  const json: CheckpointJson = {
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    library: { name: 'backprop', version: VERSION },
    epoch: snapshot.epoch,
    baseLr: snapshot.baseLr,
    rng: snapshot.rng,
    history: snapshot.history.map(encodeLogs),
    stopReason: snapshot.stopReason,
    optimizer: { ...optimizer, slots },
    callbacks,
    huberDelta: model.huberDelta,
    fit: meta.fit,
    config: meta.config ?? null,
  };
  const modelText = JSON.stringify(modelJson(model), null, 2) + '\n';
  await replaceCheckpointDir(dir, async (tmp) => {
    const modelDir = path.join(tmp, CHECKPOINT_MODEL_DIR);
    await fs.mkdir(modelDir);
    await fs.writeFile(path.join(modelDir, MODEL_FILE), modelText);
    await fs.writeFile(path.join(modelDir, WEIGHTS_FILE), encodeSafetensors(weights, { format: 'pt' }));
    await fs.writeFile(path.join(tmp, CHECKPOINT_STATE_FILE), encodeSafetensors(state));
    await fs.writeFile(path.join(tmp, CHECKPOINT_FILE), JSON.stringify(json, null, 2) + '\n');
  });
}

/**
 * Fills a hidden sibling of `dir` (the checkpoint directory, backprop's own) and swaps it into place:
 * `.NAME.PID-HEX.tmp` is complete once its checkpoint.json (written last) exists; the previous
 * checkpoint moves aside to `.NAME.PID-HEX.old` and is removed after the swap. A process killed
 * between the two renames leaves no `dir`; loadCheckpoint then recovers the newest complete sibling.
 */
async function replaceCheckpointDir(dir: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  const parent = path.dirname(path.resolve(dir));
  await makeDirs(parent, path.dirname(dir));
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = path.join(parent, `.${path.basename(dir)}.${tag}.tmp`);
  const old = path.join(parent, `.${path.basename(dir)}.${tag}.old`);
  await fs.mkdir(tmp);
  try {
    await fill(tmp);
    const hadOld = await fs.rename(dir, old).then(
      () => true,
      (e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
        return false;
      },
    );
    await fs.rename(tmp, dir);
    if (hadOld) await fs.rm(old, { recursive: true, force: true });
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** A checkpoint directory missing after a kill between the swap's renames: the newest complete sibling is renamed back. */
async function recoverCheckpointDir(dir: string): Promise<void> {
  if (
    await fs.stat(dir).then(
      () => true,
      () => false,
    )
  )
    return;
  const parent = path.dirname(path.resolve(dir));
  const base = path.basename(dir);
  const entries = await fs.readdir(parent).catch(() => [] as string[]);
  const siblings = entries.filter((e) => e.startsWith(`.${base}.`) && /\.(tmp|old)$/.test(e));
  // A complete new one (.tmp with checkpoint.json) is newer than the previous one (.old).
  for (const kind of ['tmp', 'old']) {
    for (const e of siblings.filter((n) => n.endsWith(`.${kind}`))) {
      const candidate = path.join(parent, e);
      if (
        await fs.stat(path.join(candidate, CHECKPOINT_FILE)).then(
          () => true,
          () => false,
        )
      ) {
        await fs.rename(candidate, dir);
        return;
      }
    }
  }
}

/**
 * Reads a checkpoint directory written by saveCheckpoint, validating its version and contents
 * (a FormatError naming the problem otherwise); its model's layers run on `options.backend`.
 *
 * @example
 * const { model, snapshot, fit } = await loadCheckpoint('run/checkpoint');
 * model.fit(x, y, { ...fitOptionsOf(fit), resume: snapshot }); // continues the run exactly
 */
export async function loadCheckpoint(dir: string, options: { backend?: Backend } = {}): Promise<Checkpoint> {
  await recoverCheckpointDir(dir);
  const jsonPath = path.join(dir, CHECKPOINT_FILE);
  const text = await fs.readFile(jsonPath, 'utf8').catch(() => {
    throw new FormatError(`'${dir}' holds no checkpoint (no ${CHECKPOINT_FILE})`);
  });
  let j: CheckpointJson;
  try {
    j = JSON.parse(text) as CheckpointJson;
  } catch (e) {
    throw new FormatError(`${jsonPath}: not valid JSON (${(e as Error).message})`);
  }
  check(
    typeof j === 'object' && j !== null && j.format === CHECKPOINT_FORMAT,
    FormatError,
    () => `${jsonPath}: not a backprop checkpoint (format is ${JSON.stringify(j?.format)})`,
  );
  check(
    j.formatVersion === CHECKPOINT_FORMAT_VERSION,
    FormatError,
    () =>
      `${jsonPath}: checkpoint format version ${j.formatVersion} is not supported (this is backprop ${VERSION}, checkpoint format ${CHECKPOINT_FORMAT_VERSION})`,
  );
  check(
    Number.isInteger(j.epoch) && j.epoch >= 0 && Array.isArray(j.history) && j.history.length === j.epoch,
    FormatError,
    () =>
      `${jsonPath}: epoch ${j.epoch} does not match ${Array.isArray(j.history) ? j.history.length : 'no'} history entries`,
  );
  check(
    typeof j.optimizer === 'object' && j.optimizer !== null && typeof j.fit === 'object' && j.fit !== null,
    FormatError,
    () => `${jsonPath}: optimizer or fit settings are missing`,
  );

  const modelDir = path.join(dir, CHECKPOINT_MODEL_DIR);
  const modelText = await fs.readFile(path.join(modelDir, MODEL_FILE), 'utf8').catch(() => {
    throw new FormatError(`checkpoint '${dir}' has no ${CHECKPOINT_MODEL_DIR}/${MODEL_FILE}`);
  });
  const weights = await readSafetensors(path.join(modelDir, WEIGHTS_FILE), dir);
  const model = modelFromParts(JSON.parse(modelText), weights, { source: modelDir, backend: options.backend });
  model.compile({
    loss: model.loss,
    metrics: model.metrics,
    huberDelta: j.huberDelta,
    optimizer: optimizerSpec(j.optimizer, j.baseLr),
  });

  const state = await readSafetensors(path.join(dir, CHECKPOINT_STATE_FILE), dir);
  const optimizerState: OptimizerStateDict['state'] = {};
  for (const [param, names] of Object.entries(j.optimizer.slots ?? {})) {
    optimizerState[param] = Object.fromEntries(
      names.map((n) => {
        const t = state[`optimizer.${param}.${n}`];
        check(
          t !== undefined,
          FormatError,
          () => `checkpoint '${dir}': ${CHECKPOINT_STATE_FILE} lacks optimizer state '${param}.${n}'`,
        );
        return [n, t.data];
      }),
    );
  }
  const callbacks: TrainingSnapshot['callbacks'] = {};
  for (const [key, values] of Object.entries(j.callbacks ?? {})) {
    const prefix = `callbacks.${key}.`;
    const arrays = Object.fromEntries(
      Object.entries(state)
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, t]) => [k.slice(prefix.length), t.data]),
    );
    callbacks[key] = { values, arrays };
  }
  const order = state.order;
  check(
    order?.data.every((v) => Number.isInteger(v) && v >= 0) === true,
    FormatError,
    () => `checkpoint '${dir}': ${CHECKPOINT_STATE_FILE} lacks the row order 'order' of non-negative integers`,
  );
  const snapshot: TrainingSnapshot = {
    version: TRAINING_SNAPSHOT_VERSION,
    epoch: j.epoch,
    baseLr: j.baseLr,
    rng: j.rng,
    order: Uint32Array.from(order.data),
    history: j.history.map(decodeLogs),
    stopReason: j.stopReason ?? null,
    optimizer: {
      name: j.optimizer.name,
      steps: j.optimizer.steps,
      lr: j.optimizer.lr,
      hyperParameters: j.optimizer.hyperParameters,
      state: optimizerState,
    },
    weights: Object.fromEntries(model.parameters().map((p) => [p.name, p.value.data.slice()])),
    callbacks,
  };
  return { model, snapshot, fit: j.fit, config: j.config ?? null };
}

/** The optimiser a checkpoint's state belongs to, from its name and hyper-parameters. */
function optimizerSpec(o: CheckpointJson['optimizer'], baseLr: number): OptimizerSpec {
  const options: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(o.hyperParameters ?? {})) if (v !== null) options[k] = v;
  return { name: o.name as Exclude<OptimizerSpec, string>['name'], ...options, lr: baseLr };
}

async function readSafetensors(file: string, dir: string): Promise<Record<string, Tensor>> {
  const bytes = await fs.readFile(file).catch(() => {
    throw new FormatError(`checkpoint '${dir}' has no ${path.relative(dir, file)}`);
  });
  return decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file).tensors;
}

function encodeLogs(logs: EpochLogs): Record<string, number | string> {
  return Object.fromEntries(Object.entries(logs).map(([k, v]) => [k, Number.isFinite(v) ? v : String(v)]));
}

function decodeLogs(logs: Record<string, number | string>): EpochLogs {
  return Object.fromEntries(
    Object.entries(logs).map(([k, v]) => [k, typeof v === 'string' ? Number(v) : v]),
  ) as EpochLogs;
}
