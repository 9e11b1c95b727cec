// `backprop train`: load data, build or load a model, fit it, evaluate it, save it (and a report).
import { basename } from 'node:path';
import { Command, Option } from 'commander';
import {
  COLOR_MODES, ConfigError, EarlyStopping, TASKS, loadModel, parseImageSize, saveModel,
  type Backend, type ColorMode, type Callback, type Sequential, type Task,
} from '../node.js';
import { BACKEND_CHOICES, selectBackend } from './backend.js';
import { buildModel, buildSchedule, compileModel, type CompileRequest } from './build-model.js';
import { formatMetrics } from './format.js';
import type { CliIo } from './io.js';
import { fractionOption, integerOption, numberOption, parseBatchSize, parseLayers, parseList, choice } from './options.js';
import { progressCallback } from './progress.js';
import { reportConfig, writeModelReport } from './run-report.js';
import { isImageFolder } from './image-data.js';
import { saveSplits } from './split.js';
import { evaluateOriginal, standardizeTargets } from './target-scaling.js';
import { fitScaler, isImageDataset, loadTrainingData, type DataSplit, type TrainingData } from './train-data.js';

interface TrainOptions extends Omit<CompileRequest, 'task'> {
  data: string;
  dataDir?: string;
  target?: string[];
  task: string;
  layers?: number[];
  activation?: string;
  init?: string;
  dropout?: number;
  batchSize?: number | 'all';
  epochs?: number;
  seed: number;
  standardize: boolean;
  validationSplit?: number;
  testSplit: number;
  schedule?: string;
  stepSize?: number;
  gamma?: number;
  minLr?: number;
  earlyStopping?: number;
  out: string;
  initFrom?: string;
  shuffle: boolean;
  report?: string;
  backend: string;
  json: boolean;
  quiet: boolean;
  color?: ColorMode;
  imageSize?: [number, number];
  features?: string;
  standardizeTargets: boolean;
  stratify: boolean;
  saveSplits?: string;
}

/**
 * Defaults that differ between CSV files and the 784-pixel image sets (see the help text). The image
 * defaults reach 90.2% Fashion-MNIST test accuracy (seed 1, wasm backend with relaxed SIMD on 2
 * threads: 40 epochs of ~5.5 s, bench/fashion-mnist.ts); the js reference backend takes ~90 s an epoch.
 */
const CSV_DEFAULTS = { layers: [64, 32], dropout: 0, batchSize: 32, epochs: 20, validationSplit: 0, schedule: undefined };
const IMAGE_DEFAULTS = { layers: [512, 256], dropout: 0.3, batchSize: 128, epochs: 40, validationSplit: 0.1, schedule: 'cosine' };

export function trainCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('train')
    .description('train an MLP on a table (CSV, Parquet, Arrow/Feather, .npy/.npz), an image folder or fashion-mnist / mnist, and save it to a model directory')
    .requiredOption('--data <file>', 'table file (.csv with a header row, .parquet, .arrow/.feather, .npy, .npz), image folder DIR/<class>/*.png|jpg, or fashion-mnist / mnist')
    .option('--data-dir <dir>', 'directory holding the IDX files of fashion-mnist / mnist')
    .option('--target <cols>', 'target column(s), comma separated (default: the last column)', parseList)
    .addOption(new Option('--task <task>', 'what the output layer predicts').choices(TASKS).default('classification'))
    .option('--layers <sizes>', 'hidden layer sizes, e.g. 64,32, or none (default 64,32; images 512,256)', parseLayers)
    .option('--activation <name>', 'hidden activation: relu, leaky_relu, tanh, sigmoid, linear (default relu)')
    .option('--init <name>', 'weight initialiser: he_normal, glorot_normal, glorot_uniform, lecun_normal, uniform, zeros (default by activation)')
    .option('--dropout <rate>', 'dropout rate after each hidden layer (default 0; images 0.3)', numberOption('--dropout', { min: 0, max: 0.99 }))
    .option('--loss <name>', 'loss (default by task: categorical_crossentropy, binary_crossentropy, mse)')
    .option('--optimizer <name>', 'sgd, momentum, nesterov, rmsprop, adam, adamw', 'adam')
    .option('--lr <rate>', 'learning rate (default 1e-3 for adam/adamw/rmsprop, 1e-2 otherwise)', numberOption('--lr', { min: 0, minExclusive: true }))
    .option('--momentum <mu>', 'momentum of momentum / nesterov / rmsprop', numberOption('--momentum', { min: 0, max: 1 }))
    .option('--weight-decay <lambda>', 'L2 weight decay (decoupled for adamw)', numberOption('--weight-decay', { min: 0 }), 0)
    .option('--clip-norm <x>', 'clip the global gradient norm to x', numberOption('--clip-norm', { min: 0, minExclusive: true }))
    .option('--batch-size <n>', "examples per step, or 'all' for batch gradient descent (default 32; images 128)", parseBatchSize)
    .option('--epochs <n>', 'passes over the training data; 0 saves the initialised model (default 20; images 40)', integerOption('--epochs'))
    .option('--seed <n>', 'seed of the initialisation, the splits, shuffling and dropout', integerOption('--seed'), 1)
    .option('--standardize', 'standardise the features (fitted on the training rows, saved with the model)', false)
    .option('--validation-split <f>', 'fraction held out for validation (seeded; default 0; images 0.1)', fractionOption('--validation-split'))
    .option('--test-split <f>', 'fraction held out for testing, taken first (seeded; not for data with its own test set)', fractionOption('--test-split'), 0)
    .option('--schedule <name>', 'learning-rate schedule: constant, step, exponential, cosine (default constant; images cosine)')
    .option('--step-size <n>', 'step schedule: epochs between decays (default epochs/3)', integerOption('--step-size', 1))
    .option('--gamma <g>', 'step / exponential schedule: decay factor (default 0.1 / 0.95)', numberOption('--gamma', { min: 0, minExclusive: true }))
    .option('--min-lr <lr>', 'cosine schedule: final learning rate (default 0)', numberOption('--min-lr', { min: 0 }))
    .option('--early-stopping <patience>', 'stop after this many epochs without improvement of val_loss (or loss); keeps the best weights', integerOption('--early-stopping'))
    .requiredOption('--out <dir>', 'model directory to write (model.json + weights.safetensors)')
    .option('--init-from <dir>', 'start from a saved model (its architecture, weights, scaler and labels)')
    .option('--no-shuffle', 'keep the row order in every epoch')
    .option('--report <dir>', 'write an HTML report to <dir>/report.html')
    .addOption(new Option('--backend <name>', 'compute backend: auto picks wasm where it loads, else js').choices(BACKEND_CHOICES).default('auto'))
    .option('--json', 'print one JSON object with the history and metrics on stdout', false)
    .option('--quiet', 'no progress output', false)
    .addOption(new Option('--color <mode>', 'image folders: convert images to grayscale or rgb (default grayscale when every image is)').choices(COLOR_MODES))
    .option('--image-size <HxW>', 'image folders: resample every image to H×W, e.g. 28x28 (default: their own size, when they all agree)', parseImageSize)
    .option('--features <name>', '.npz files: the features array (default x; --target names the target array, default y)')
    .option('--standardize-targets', 'regression: standardise the targets (fitted on the training rows, saved; predictions and metrics in the original units)', false)
    .option('--stratify', 'classification: keep each class\'s share of rows in the test and validation splits', false)
    .option('--save-splits <file>', 'write which rows went to train, validation and test as CSV (row[,name],split)')
    .action(async (o: TrainOptions) => setExit(await train(o, io)));
}

async function train(o: TrainOptions, io: CliIo): Promise<number> {
  const selected = await selectBackend(o.backend);
  try {
    return await trainWith(o, io, selected.name, selected.backend);
  } finally {
    selected.dispose();
  }
}

async function trainWith(o: TrainOptions, io: CliIo, backendName: string, backend: Backend): Promise<number> {
  const task = choice('--task', o.task, TASKS) as Task;
  const images = isImageDataset(o.data) || isImageFolder(o.data);
  const d = images ? IMAGE_DEFAULTS : CSV_DEFAULTS;
  if (isImageDataset(o.data) && o.testSplit > 0) throw new ConfigError(`--test-split does not apply to ${o.data}: its own test images are the test set`);
  const epochs = o.epochs ?? d.epochs;
  const saved = o.initFrom ? await loadModel(o.initFrom, { backend }) : null;
  const data = await loadTrainingData({
    data: o.data, dataDir: o.dataDir, targets: o.target ?? saved?.targetNames ?? [], task,
    knownLabels: saved?.labels ?? null, testSplit: o.testSplit, validationSplit: o.validationSplit ?? d.validationSplit, seed: o.seed,
    allocateBytes: backend.allocBytes?.bind(backend),
    color: o.color, imageSize: o.imageSize, features: o.features, stratify: o.stratify,
  });
  if (o.standardizeTargets && task !== 'regression') throw new ConfigError(`--standardize-targets applies to regression, not ${task}`);
  if (o.saveSplits && data.split) await saveSplits(o.saveSplits, data.split, data.rowNames ?? null);
  const model = buildModel({
    task, layers: o.layers ?? d.layers, activation: o.activation ?? 'relu', init: o.init, dropout: o.dropout ?? d.dropout, seed: o.seed, initFrom: saved ? { dir: o.initFrom!, model: saved } : undefined,
  }, data, backend);
  const compiled = compileModel(model, { task, loss: o.loss, optimizer: o.optimizer, lr: o.lr, momentum: o.momentum, weightDecay: o.weightDecay, clipNorm: o.clipNorm });
  // A continued model keeps the scaler it was trained with; its weights expect those inputs.
  if (saved?.scaler) model.scaler = saved.scaler;
  else if (o.standardize) model.scaler = fitScaler(data);
  model.input = data.input ?? null;
  model.targetScaler = o.standardizeTargets ? standardizeTargets(data) : null;
  const schedule = buildSchedule(o.schedule ?? d.schedule, epochs, { stepSize: o.stepSize, gamma: o.gamma, minLr: o.minLr });
  const batchSize = o.batchSize ?? d.batchSize;
  const n = data.train.source.size;
  const batches = batchSize === 'all' || batchSize >= n ? 1 : Math.ceil(n / batchSize);

  const callbacks: Callback[] = [];
  if (!o.quiet) callbacks.push(progressCallback(io.stderr, epochs, batches));
  if (o.earlyStopping !== undefined) callbacks.push(new EarlyStopping({ patience: o.earlyStopping }));
  const { history, stopReason, diverged } = model.fit(data.train.source, null, {
    epochs, batchSize, shuffle: o.shuffle, seed: o.seed, callbacks, schedule,
    validationData: data.validation?.source,
  });

  const metrics: Record<string, Record<string, number>> = { train: evaluate(model, data.train) };
  if (data.validation) metrics.validation = evaluate(model, data.validation);
  if (data.test) metrics.test = evaluate(model, data.test);
  model.trainingConfig = {
    data: o.data, task, layers: o.layers ?? d.layers, activation: o.activation ?? 'relu', init: o.init ?? null, dropout: o.dropout ?? d.dropout,
    loss: compiled.loss, optimizer: compiled.optimizer, lr: compiled.lr, momentum: o.momentum ?? null, weightDecay: o.weightDecay, clipNorm: o.clipNorm ?? null,
    batchSize, epochs, seed: o.seed, standardize: model.scaler !== null, validationSplit: o.validationSplit ?? d.validationSplit, testSplit: images ? null : o.testSplit,
    schedule: schedule ?? null, earlyStopping: o.earlyStopping ?? null, shuffle: o.shuffle, initFrom: o.initFrom ?? null, backend: backendName,
    standardizeTargets: o.standardizeTargets, stratify: o.stratify, stopReason, metrics, history,
  };
  await saveModel(model, o.out);
  const shownSplit = data.test ? 'test' : 'train';
  const report = o.report
    ? await writeModelReport(o.report, model, {
      title: `backprop: ${basename(o.data)}`, history, metrics, config: reportConfig(model.trainingConfig),
      split: { name: shownSplit, ...(data.test ?? data.train) },
    })
    : null;

  if (stopReason) io.stderr.write(`${diverged ? 'error' : 'note'}: ${stopReason}\n`);
  if (o.json) {
    io.stdout.write(JSON.stringify({ model: o.out, backend: backendName, stopReason, history, ...metrics, ...(report ? { report } : {}), peakRssMB: peakRssMB() }) + '\n');
  } else {
    io.stdout.write(`${shownSplit}  ${formatMetrics(metrics[shownSplit]!)}\n`);
    io.stdout.write(`model saved to ${o.out} (backend ${backendName}, ${history.length} epoch${history.length === 1 ? '' : 's'}, peak memory ${peakRssMB()} MB)\n`);
    if (report) io.stdout.write(`report written to ${report}\n`);
  }
  return diverged ? 1 : 0;
}

/** Peak resident memory of this process so far, in MB. */
function peakRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function evaluate(model: Sequential, split: DataSplit): Record<string, number> {
  return evaluateOriginal(model, split.source);
}
