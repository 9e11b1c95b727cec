// `backprop train`: load data, build or load a model, fit it, evaluate it, save it (and a report).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import {
  type Callback,
  CHECKPOINT_SUBDIR,
  type Checkpoint,
  COLOR_MODES,
  ConfigError,
  checkDirOut,
  checkModelOut,
  DEFAULT_LEARNING_RATES,
  DEFAULT_SHUFFLE_BUFFER,
  EarlyStopping,
  fitWithCheckpoints,
  loadCheckpoint,
  loadModel,
  parseImageSize,
  type Sequential,
  STREAM_THRESHOLD_BYTES,
  saveModel,
  setWarningHandler,
  TASKS,
  warn,
} from '../node.js';
import { BACKEND_CHOICES, BACKEND_HELP, type SelectedBackend, selectBackend } from './backend.js';
import { buildModel, compileModel } from './build-model.js';
import { byteProgress } from './byte-progress.js';
import { delimiterOption } from './csv-data.js';
import { formatMetrics } from './format.js';
import { isImageFolder } from './image-data.js';
import type { CliIo } from './io.js';
import { fractionOption, integerOption, numberOption, parseBatchSize, parseLayers, parseList } from './options.js';
import { progressCallback } from './progress.js';
import { REPORT_OUT, reportConfig, writeModelReport } from './run-report.js';
import { saveSplits } from './split.js';
import { evaluateOriginal, standardizeTargets } from './target-scaling.js';
import { describeSources, resolveTrainConfig, type TrainConfig, type TrainFlags } from './train-config.js';
import { type DataSplit, fitScaler, isImageDataset, loadTrainingData } from './train-data.js';
import {
  checkpointDirOf,
  checkResumeFlags,
  EXIT_INTERRUPTED,
  readCheckpointConfig,
  withInterrupt,
} from './train-resume.js';

interface TrainOptions extends TrainFlags {
  resume?: string;
  report?: string;
  json: boolean;
  quiet: boolean;
}

export function trainCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('train')
    .description(
      'train an MLP on a table (CSV, Parquet, Arrow/Feather, .npy/.npz), an image folder or fashion-mnist / mnist, and save it to a model directory',
    )
    .option(
      '--data <file>',
      'table file (.csv with a header row, .parquet, .arrow/.feather, .npy, .npz), image folder DIR/<class>/*.png|jpg, or fashion-mnist / mnist (required unless --resume)',
    )
    .option('--data-dir <dir>', 'directory holding the IDX files of fashion-mnist / mnist')
    .option('--target <cols>', 'target column(s), comma separated (default: the last column)', parseList)
    .addOption(delimiterOption())
    .addOption(
      new Option(
        '--task <task>',
        "what the output layer predicts (default classification; with --init-from the model's)",
      ).choices(TASKS),
    )
    .option('--layers <sizes>', 'hidden layer sizes, e.g. 64,32, or none (default 64,32; images 512,256)', parseLayers)
    .option('--activation <name>', 'hidden activation: relu, leaky_relu, tanh, sigmoid, linear (default relu)')
    .option(
      '--init <name>',
      'weight initialiser: he_normal, glorot_normal, glorot_uniform, lecun_normal, uniform, zeros (default by activation)',
    )
    .option(
      '--dropout <rate>',
      'dropout rate after each hidden layer (default 0; images 0.3)',
      numberOption('--dropout', { min: 0, max: 0.99 }),
    )
    .option('--loss <name>', 'loss (default by task: categorical_crossentropy, binary_crossentropy, mse)')
    .option(
      '--optimizer <name>',
      "sgd, momentum, nesterov, rmsprop, adam, adamw (default adam; with --init-from the model's)",
    )
    .option(
      '--lr <rate>',
      `learning rate (default: the optimiser's own, ${Object.entries(DEFAULT_LEARNING_RATES)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`,
      numberOption('--lr', { min: 0, minExclusive: true }),
    )
    .option(
      '--momentum <mu>',
      'momentum of momentum / nesterov / rmsprop',
      numberOption('--momentum', { min: 0, max: 1 }),
    )
    .option(
      '--weight-decay <lambda>',
      'L2 weight decay, decoupled for adamw (default 0)',
      numberOption('--weight-decay', { min: 0 }),
    )
    .option(
      '--l1 <lambda>',
      'L1 penalty: lambda·sign(w) added to every gradient, which drives small weights to zero (default 0)',
      numberOption('--l1', { min: 0 }),
    )
    .option(
      '--clip-norm <x>',
      'clip the global gradient norm to x',
      numberOption('--clip-norm', { min: 0, minExclusive: true }),
    )
    .option(
      '--batch-size <n>',
      "examples per step, or 'all' for batch gradient descent (default 32; images 128)",
      parseBatchSize,
    )
    .option(
      '--epochs <n>',
      'passes over the training data; 0 saves the initialised model (default 20; images 40)',
      integerOption('--epochs'),
    )
    .option('--seed <n>', 'seed of the initialisation, the splits, shuffling and dropout', integerOption('--seed'), 1)
    .option('--standardize', 'standardise the features (fitted on the training rows, saved with the model)', false)
    .option(
      '--validation-split <f>',
      'fraction held out for validation (seeded; default 0; images 0.1)',
      fractionOption('--validation-split'),
    )
    .option(
      '--test-split <f>',
      'fraction held out for testing, taken first (seeded; CSV only)',
      fractionOption('--test-split'),
      0,
    )
    .option(
      '--schedule <name>',
      'learning-rate schedule: constant, step, exponential, cosine (default constant; images cosine)',
    )
    .option(
      '--step-size <n>',
      'step schedule: epochs between decays (default epochs/3)',
      integerOption('--step-size', 1),
    )
    .option(
      '--gamma <g>',
      'step / exponential schedule: decay factor (default 0.1 / 0.95)',
      numberOption('--gamma', { min: 0, minExclusive: true }),
    )
    .option('--min-lr <lr>', 'cosine schedule: final learning rate (default 0)', numberOption('--min-lr', { min: 0 }))
    .option(
      '--early-stopping <patience>',
      'stop after this many epochs without improvement of val_loss (or loss); keeps the best weights',
      integerOption('--early-stopping'),
    )
    .option(
      '--out <dir>',
      'model directory to write (model.json + weights.safetensors; required unless --resume); written only if training succeeds',
    )
    .option(
      '--overwrite',
      'write into --out / --report directories that hold other files (only the model and report files are replaced)',
      false,
    )
    .option(
      '--init-from <dir>',
      'continue a saved model: its architecture, weights, scaler, labels, and its task, loss, optimiser, learning rate, momentum, weight decay, L1 penalty and schedule unless flags say otherwise',
    )
    .option(
      '--checkpoint-every <n>',
      'write a checkpoint to <out>/checkpoint every n epochs (Ctrl-C writes one too)',
      integerOption('--checkpoint-every', 1),
    )
    .option(
      '--resume <dir>',
      'continue the interrupted run whose --out was <dir> from its checkpoint, to its original --epochs',
    )
    .option('--no-shuffle', 'keep the row order in every epoch')
    .option('--report <dir>', 'write an HTML report to <dir>/report.html')
    .addOption(new Option('--backend <name>', BACKEND_HELP).choices(BACKEND_CHOICES).default('auto'))
    .option('--json', 'print one JSON object with the history and metrics on stdout', false)
    .option('--quiet', 'no progress output', false)
    .addOption(
      new Option(
        '--color <mode>',
        'image folders: convert images to grayscale or rgb (default grayscale when every image is)',
      ).choices(COLOR_MODES),
    )
    .option(
      '--image-size <HxW>',
      'image folders: resample every image to H×W, e.g. 28x28 (default: their own size, when they all agree)',
      parseImageSize,
    )
    .option(
      '--features <name>',
      '.npz files: the features array (default x; --target names the target array, default y)',
    )
    .option(
      '--standardize-targets',
      'regression: standardise the targets (fitted on the training rows, saved; predictions and metrics in the original units)',
      false,
    )
    .option('--stratify', "classification: keep each class's share of rows in the test and validation splits", false)
    .option('--save-splits <file>', 'write which rows went to train, validation and test as CSV (row[,name],split)')
    .option(
      '--stream',
      `read the CSV / Parquet file in chunks, in bounded memory (default: only files over ${STREAM_THRESHOLD_BYTES / 2 ** 20} MiB); splits by a seeded hash of the row index, shuffles through --shuffle-buffer`,
    )
    .option(
      '--shuffle-buffer <rows>',
      `streamed files: rows held by the seeded shuffle buffer (default ${DEFAULT_SHUFFLE_BUFFER})`,
      integerOption('--shuffle-buffer', 1),
    )
    .action(async (o: TrainOptions, cmd: Command) =>
      setExit(await train(o, io, (key) => cmd.getOptionValueSource(key) === 'cli')),
    );
}

async function train(o: TrainOptions, io: CliIo, given: (key: string) => boolean): Promise<number> {
  // Library warnings go to this command's stderr, each distinct message once.
  const seen = new Set<string>();
  const previous = setWarningHandler((m) => {
    if (!seen.has(m)) io.stderr.write(`warning: ${m}\n`);
    seen.add(m);
  });
  try {
    if (o.resume !== undefined) return await resume(o, io, given);
    if (o.data === undefined) throw new ConfigError(`required option '--data <file>' not specified`);
    if (o.out === undefined) throw new ConfigError(`required option '--out <dir>' not specified`);
    // A refused output fails now, not after the training.
    await checkModelOut(o.out, { overwrite: o.overwrite });
    if (o.report) await checkDirOut(o.report, REPORT_OUT, { overwrite: o.overwrite });
    const selected = await selectBackend(o.backend);
    try {
      const saved = o.initFrom ? await loadModel(o.initFrom, { backend: selected.backend }) : null;
      const { config, sources, warnings } = resolveTrainConfig(
        o,
        isImageDataset(o.data) || isImageFolder(o.data),
        saved,
      );
      for (const w of warnings) warn(w);
      if (sources && !o.quiet) io.stderr.write(describeSources(o.initFrom!, sources) + '\n');
      return await runTraining({ ...config, backend: selected.name }, io, selected, { ...o, saved });
    } finally {
      selected.dispose();
    }
  } finally {
    setWarningHandler(previous);
  }
}

/** `train --resume DIR`: the configuration, model and state come from DIR's checkpoint. */
async function resume(o: TrainOptions, io: CliIo, given: (key: string) => boolean): Promise<number> {
  checkResumeFlags(Object.keys(o).filter(given));
  const dir = await checkpointDirOf(o.resume!);
  const stored = await readCheckpointConfig(dir);
  const selected = await selectBackend(stored.backend);
  try {
    const checkpoint = await loadCheckpoint(dir, { backend: selected.backend });
    const config = { ...(checkpoint.config as unknown as TrainConfig), out: o.resume!, backend: selected.name };
    if (selected.name !== stored.backend)
      warn(
        `the run used the ${stored.backend} backend, this one ${selected.name}: the result will differ from an uninterrupted run`,
      );
    if (!o.quiet)
      io.stderr.write(
        `resuming ${config.data} from epoch ${checkpoint.snapshot.epoch} of ${config.epochs} (checkpoint ${dir})\n`,
      );
    return await runTraining(config, io, selected, { ...o, checkpoint });
  } finally {
    selected.dispose();
  }
}

interface RunOutput {
  report?: string;
  overwrite?: boolean;
  json: boolean;
  quiet: boolean;
  /** The --init-from model. */
  saved?: Sequential | null;
  /** The checkpoint --resume continues. */
  checkpoint?: Checkpoint;
}

async function runTraining(
  resolved: TrainConfig,
  io: CliIo,
  selected: SelectedBackend,
  out: RunOutput,
): Promise<number> {
  const { backend } = selected;
  let config = resolved;
  const continued = out.checkpoint?.model ?? out.saved ?? null;
  const data = await loadTrainingData({
    data: config.data,
    dataDir: config.dataDir ?? undefined,
    targets: config.target ?? continued?.targetNames ?? [],
    task: config.task,
    knownLabels: continued?.labels ?? null,
    testSplit: config.testSplit ?? 0,
    validationSplit: config.validationSplit,
    seed: config.seed,
    allocateBytes: backend.allocBytes?.bind(backend),
    delimiter: config.delimiter ?? 'auto',
    color: config.color ?? undefined,
    imageSize: config.imageSize ?? undefined,
    features: config.features ?? undefined,
    stratify: config.stratify ?? false,
    stream: config.stream ?? undefined,
    shuffleBuffer: config.shuffleBuffer ?? undefined,
    shuffle: config.shuffle,
    onProgress: out.quiet ? undefined : byteProgress(io.stderr, `reading ${path.basename(config.data)} (first pass)`),
  });
  if (data.stream) checkStreamFlags(config);
  else if (config.shuffleBuffer != null)
    warn('--shuffle-buffer has no effect: the file is read whole and shuffled fully every epoch (--stream streams it)');
  if (config.stream && data.kind === 'images')
    warn('--stream has no effect on images: it streams CSV and Parquet tables');
  if (config.standardizeTargets && config.task !== 'regression')
    throw new ConfigError(`--standardize-targets applies to regression, not ${config.task}`);
  if (config.saveSplits && data.split) await saveSplits(config.saveSplits, data.split, data.rowNames ?? null);
  let model: Sequential;
  if (out.checkpoint) {
    model = out.checkpoint.model;
  } else {
    const saved = out.saved ?? null;
    model = buildModel(
      {
        task: config.task,
        layers: config.layers,
        activation: config.activation,
        init: config.init ?? undefined,
        dropout: config.dropout,
        seed: config.seed,
        initFrom: saved ? { dir: config.initFrom!, model: saved } : undefined,
      },
      data,
      backend,
    );
    compileModel(model, {
      task: config.task,
      loss: config.loss,
      optimizer: config.optimizer,
      lr: config.lr,
      momentum: config.momentum ?? undefined,
      weightDecay: config.weightDecay,
      l1: config.l1 ?? 0,
      clipNorm: config.clipNorm ?? undefined,
    });
    // Record the momentum the optimiser actually uses (its default when no flag gave one).
    const momentum = model.optimizer.stateDict().hyperParameters.momentum;
    if (typeof momentum === 'number') config = { ...config, momentum };
    // A continued model keeps the scaler it was trained with; its weights expect those inputs.
    if (saved?.scaler) model.scaler = saved.scaler;
    else if (config.standardize) model.scaler = fitScaler(data);
    model.input = data.input ?? null;
  }
  // Standardised targets: a continued or resumed model's own target scaler, else one fitted now.
  const targetScaler = (out.checkpoint?.model ?? out.saved)?.targetScaler ?? null;
  if (targetScaler) model.targetScaler = standardizeTargets(data, targetScaler);
  else if (config.standardizeTargets) model.targetScaler = standardizeTargets(data);
  const epochs = config.epochs;
  const n = data.train.source.size;
  const batches = config.batchSize === 'all' || config.batchSize >= n ? 1 : Math.ceil(n / config.batchSize);

  const callbacks: Callback[] = [];
  if (!out.quiet) callbacks.push(progressCallback(io.stderr, epochs, batches));
  if (config.earlyStopping !== null) callbacks.push(new EarlyStopping({ patience: config.earlyStopping }));
  const checkpointDir = path.join(config.out, CHECKPOINT_SUBDIR);
  const { history, stopReason, diverged, interrupted, checkpointEpoch } = await withInterrupt((signal) =>
    fitWithCheckpoints(model, data.train.source, null, {
      epochs,
      batchSize: config.batchSize,
      shuffle: config.shuffle,
      seed: config.seed,
      callbacks,
      schedule: config.schedule ?? undefined,
      validationData: data.validation?.source,
      resume: out.checkpoint?.snapshot,
      checkpoint: { dir: checkpointDir, ...(config.checkpointEvery === null ? {} : { every: config.checkpointEvery }) },
      signal,
      config: config as unknown as Record<string, unknown>,
    }),
  );
  if (interrupted) {
    const at =
      checkpointEpoch === null
        ? 'no checkpoint was written'
        : `checkpoint of epoch ${checkpointEpoch} in ${checkpointDir}`;
    io.stderr.write(
      `interrupted at epoch ${history.length + 1} (${at}); resume with: backprop train --resume ${config.out}\n`,
    );
    return EXIT_INTERRUPTED;
  }

  const metrics: Record<string, Record<string, number>> = { train: evaluate(model, data.train) };
  if (data.validation) metrics.validation = evaluate(model, data.validation);
  if (data.test) metrics.test = evaluate(model, data.test);
  model.trainingConfig = { ...config, stopReason, metrics, history };
  // A diverged run leaves an earlier model at --out as it was.
  if (!diverged) {
    await saveModel(model, config.out, { overwrite: out.overwrite });
    // The finished model supersedes the run's checkpoint (backprop's own subdirectory of --out).
    await rm(checkpointDir, { recursive: true, force: true });
  }
  const shownSplit = data.test ? 'test' : 'train';
  const report = out.report
    ? await writeModelReport(out.report, model, {
        title: `backprop: ${path.basename(config.data)}`,
        history,
        metrics,
        config: reportConfig(model.trainingConfig),
        overwrite: out.overwrite,
        split: { name: shownSplit, ...(data.test ?? data.train) },
      })
    : null;

  if (stopReason) io.stderr.write(`${diverged ? 'error' : 'note'}: ${stopReason}\n`);
  if (diverged) io.stderr.write(`error: the model was not saved, so '${config.out}' is unchanged\n`);
  if (out.json) {
    io.stdout.write(
      JSON.stringify({
        model: diverged ? null : config.out,
        backend: selected.name,
        stopReason,
        history,
        ...metrics,
        ...(report ? { report } : {}),
        peakRssMB: peakRssMB(),
      }) + '\n',
    );
  } else {
    io.stdout.write(`${shownSplit}  ${formatMetrics(metrics[shownSplit]!)}\n`);
    if (!diverged)
      io.stdout.write(
        `model saved to ${config.out} (backend ${selected.name}, ${history.length} epoch${history.length === 1 ? '' : 's'}, peak memory ${peakRssMB()} MB)\n`,
      );
    if (report) io.stdout.write(`report written to ${report}\n`);
  }
  return diverged ? 1 : 0;
}

/** Flags that need the whole table in memory. */
function checkStreamFlags(config: TrainConfig): void {
  const why = 'a streamed file is read in passes, never held whole';
  if (config.batchSize === 'all')
    throw new ConfigError(`--batch-size all does not apply to a streamed file (${why}); give a number of rows`);
  if (config.standardizeTargets)
    throw new ConfigError(`--standardize-targets is not available for a streamed file (${why})`);
  if (config.saveSplits)
    throw new ConfigError(
      `--save-splits is not available for a streamed file: its rows are split by a seeded hash of the row index (${why})`,
    );
}

/** Peak resident memory of this process so far, in MB. */
function peakRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function evaluate(model: Sequential, split: DataSplit): Record<string, number> {
  return evaluateOriginal(model, split.source);
}
