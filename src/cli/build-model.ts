// The model a training run starts from: a fresh MLP from the options, or a saved model (--init-from).

import { constants as bufferConstants } from 'node:buffer';
import { totalmem } from 'node:os';
import {
  type Backend,
  BackpropError,
  ConfigError,
  DataError,
  DEFAULT_LEARNING_RATES,
  OPTIMIZERS,
  type OptimizerName,
  resolveActivation,
  resolveInitName,
  resolveLoss,
  type Schedule,
  Sequential,
  type Task,
  taskDefaults,
} from '../node.js';
import { choice } from './options.js';
import type { TrainingData } from './train-data.js';

export interface ModelOptions {
  task: Task;
  layers: number[];
  activation: string;
  init?: string;
  dropout: number;
  seed: number;
  /** The saved model of --init-from, already loaded. */
  initFrom?: { dir: string; model: Sequential };
}

/** Builds or loads the model and records the data's names and labels on it. */
export function buildModel(o: ModelOptions, data: TrainingData, backend: Backend): Sequential {
  let model: Sequential;
  if (o.initFrom) {
    model = o.initFrom.model;
    const dir = o.initFrom.dir;
    if (model.network.inputFeatures !== data.features)
      throw new DataError(
        `--init-from ${dir}: the model takes ${model.network.inputFeatures} inputs, the data has ${data.features} feature columns`,
      );
    if (model.network.outputFeatures !== data.outputs)
      throw new DataError(
        `--init-from ${dir}: the model has ${model.network.outputFeatures} outputs, the data needs ${data.outputs}`,
      );
    if (model.task !== null && model.task !== o.task)
      throw new ConfigError(
        `--init-from ${dir}: the model was trained for ${model.task}, not ${o.task} (pass --task ${model.task})`,
      );
  } else {
    const options = {
      inputs: data.features,
      hidden: o.layers,
      outputs: data.outputs,
      task: o.task,
      activation: resolveActivation(o.activation),
      init: o.init === undefined ? undefined : resolveInitName(o.init),
      dropout: o.dropout,
      seed: o.seed,
      backend,
    };
    checkSize(data.features, o.layers, data.outputs, backend);
    try {
      model = Sequential.mlp(options);
    } catch (e) {
      if (e instanceof BackpropError && !/memory|MiB/.test(e.message)) throw e;
      throw new ConfigError(
        `--layers ${o.layers.join(',')}: ${describeSize(data.features, o.layers, data.outputs)} cannot be allocated (${(e as Error).message})`,
      );
    }
  }
  model.task = o.task;
  model.labels = data.labels;
  model.featureNames = data.featureNames;
  model.targetNames = data.targetNames;
  return model;
}

/** Bytes per parameter while training: value, gradient and up to two optimiser moments, float32. */
const TRAINING_BYTES_PER_PARAMETER = 16;
/** The wasm backend's memory holds at most 2 GiB. */
const WASM_MAX_BYTES = 2 ** 31;

function parameterCount(inputs: number, hidden: number[], outputs: number): number {
  let params = 0;
  let width = inputs;
  for (const units of [...hidden, outputs]) {
    params += width * units + units;
    width = units;
  }
  return params;
}

/** "a network of 6.400e+10 parameters (256.0 GB of float32 weights)" */
function describeSize(inputs: number, hidden: number[], outputs: number): string {
  const params = parameterCount(inputs, hidden, outputs);
  return `a network of ${params.toExponential(3)} parameters (${((params * 4) / 1e9).toFixed(1)} GB of float32 weights)`;
}

/** Rejects layer sizes whose buffers cannot exist on this backend and machine, before trying to allocate them. */
function checkSize(inputs: number, hidden: number[], outputs: number, backend: Backend): void {
  const bytes = parameterCount(inputs, hidden, outputs) * TRAINING_BYTES_PER_PARAMETER;
  const limit = backend.name === 'wasm' ? WASM_MAX_BYTES : totalmem();
  const where =
    backend.name === 'wasm'
      ? "the wasm backend's 2 GiB memory"
      : `this machine's ${(totalmem() / 1e9).toFixed(1)} GB of memory`;
  let width = inputs;
  for (const units of [...hidden, outputs]) {
    if (width * units > bufferConstants.MAX_LENGTH / 4) {
      throw new ConfigError(
        `--layers ${hidden.join(',')}: a layer of ${units} units after ${width} inputs needs ${(width * units).toExponential(3)} weights, more than one buffer can hold (${describeSize(inputs, hidden, outputs)})`,
      );
    }
    width = units;
  }
  if (bytes > limit) {
    throw new ConfigError(
      `--layers ${hidden.join(',')}: ${describeSize(inputs, hidden, outputs)} needs ${(bytes / 1e9).toFixed(1)} GB to train, more than ${where}`,
    );
  }
}

export interface CompileRequest {
  task: Task;
  loss?: string;
  optimizer: string;
  lr?: number;
  momentum?: number;
  weightDecay: number;
  l1?: number;
  clipNorm?: number;
}

/** The default learning rate: 1e-3 for the adaptive optimisers, 1e-2 for the SGD family. */
/** The optimiser's own default learning rate (the library's). */
export function defaultLr(optimizer: OptimizerName): number {
  return DEFAULT_LEARNING_RATES[optimizer];
}

export function compileModel(
  model: Sequential,
  c: CompileRequest,
): { loss: string; optimizer: OptimizerName; lr: number } {
  const name = choice('--optimizer', c.optimizer, OPTIMIZERS);
  const loss = resolveLoss(c.loss ?? taskDefaults(c.task).loss);
  const lr = c.lr ?? defaultLr(name);
  model.compile({
    loss,
    metrics: taskDefaults(c.task).metrics,
    optimizer: {
      name,
      lr,
      weightDecay: c.weightDecay,
      l1: c.l1 ?? 0,
      clipNorm: c.clipNorm,
      ...(c.momentum !== undefined && name !== 'adam' && name !== 'adamw' ? { momentum: c.momentum } : {}),
    },
  });
  return { loss, optimizer: name, lr };
}

/** `--schedule step|exponential|cosine` with the parameters of each (defaults relative to the run's epochs). */
export function buildSchedule(
  name: string | undefined,
  epochs: number,
  p: { stepSize?: number; gamma?: number; minLr?: number },
): Schedule | undefined {
  switch (name) {
    case undefined:
    case 'constant':
      return undefined;
    case 'step':
      return { name: 'step', stepSize: p.stepSize ?? Math.max(1, Math.round(epochs / 3)), gamma: p.gamma ?? 0.1 };
    case 'exponential':
      return { name: 'exponential', gamma: p.gamma ?? 0.95 };
    case 'cosine':
      return { name: 'cosine', tMax: Math.max(1, epochs), minLr: p.minLr ?? 0 };
    default:
      throw new ConfigError(
        `--schedule: unknown schedule '${name}'; expected one of constant, step, exponential, cosine`,
      );
  }
}
