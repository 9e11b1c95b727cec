// The configuration a training run uses, resolved from the flags, the data set's defaults and, with
// --init-from, the saved model's own training record (flags override it); plus the warnings for
// flags that have no effect in that configuration.
import {
  type ColorMode,
  ConfigError,
  type LossName,
  OPTIMIZERS,
  type OptimizerName,
  resolveLoss,
  type Schedule,
  type Sequential,
  TASKS,
  type Task,
  taskDefaults,
} from '../node.js';
import { buildSchedule, defaultLr } from './build-model.js';
import { choice } from './options.js';
import { isImageDataset } from './train-data.js';

/** The flags of `train` as commander parses them (undefined: not given). */
export interface TrainFlags {
  data?: string;
  dataDir?: string;
  target?: string[];
  task?: string;
  layers?: number[];
  activation?: string;
  init?: string;
  dropout?: number;
  loss?: string;
  optimizer?: string;
  lr?: number;
  momentum?: number;
  weightDecay?: number;
  l1?: number;
  clipNorm?: number;
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
  out?: string;
  initFrom?: string;
  checkpointEvery?: number;
  shuffle: boolean;
  backend: string;
  /** CSV field separator: 'auto' or one character (see --delimiter). */
  delimiter: string;
  overwrite: boolean;
  color?: ColorMode;
  imageSize?: [number, number];
  features?: string;
  standardizeTargets: boolean;
  stratify: boolean;
  saveSplits?: string;
  stream?: boolean;
  shuffleBuffer?: number;
}

/** Everything a run uses; recorded in model.json's `training` and in checkpoints, so `--resume` needs no flags. */
export interface TrainConfig {
  data: string;
  dataDir: string | null;
  target: string[] | null;
  task: Task;
  layers: number[];
  activation: string;
  init: string | null;
  dropout: number;
  loss: LossName;
  optimizer: OptimizerName;
  lr: number;
  momentum: number | null;
  weightDecay: number;
  /** L1 penalty; a checkpoint or model from before this field reads as 0. */
  l1?: number;
  clipNorm: number | null;
  batchSize: number | 'all';
  epochs: number;
  seed: number;
  standardize: boolean;
  validationSplit: number;
  testSplit: number | null;
  schedule: Schedule | null;
  earlyStopping: number | null;
  shuffle: boolean;
  initFrom: string | null;
  checkpointEvery: number | null;
  out: string;
  backend: string;
  /** CSV field separator ('auto' detects it); a checkpoint from before this field reads as 'auto'. */
  delimiter?: string;
  /** Image folders: --color and --image-size; .npz: --features. */
  color?: ColorMode | null;
  imageSize?: [number, number] | null;
  features?: string | null;
  standardizeTargets?: boolean;
  stratify?: boolean;
  saveSplits?: string | null;
  /** Tables: --stream (null: only files above the size threshold) and --shuffle-buffer (null: the default). */
  stream?: boolean | null;
  shuffleBuffer?: number | null;
}

/**
 * Defaults that differ between CSV files and the 784-pixel image sets (see the help text). The image
 * defaults reach 90.6% Fashion-MNIST test accuracy (seed 1; bench/fashion-mnist.ts measures it).
 */
const CSV_DEFAULTS = {
  layers: [64, 32],
  dropout: 0,
  batchSize: 32,
  epochs: 20,
  validationSplit: 0,
  schedule: undefined,
};
const IMAGE_DEFAULTS = {
  layers: [512, 256],
  dropout: 0.3,
  batchSize: 128,
  epochs: 40,
  validationSplit: 0.1,
  schedule: 'cosine',
};

/** Optimisers that take --momentum. */
const WITH_MOMENTUM: readonly OptimizerName[] = ['sgd', 'momentum', 'nesterov', 'rmsprop'];

export interface ResolvedConfig {
  config: TrainConfig;
  /** With --init-from: which settings came from the saved model and which from flags, for one line on stderr. */
  sources: { model: string[]; flags: string[] } | null;
  /** One line each, for flags that have no effect in this configuration. */
  warnings: string[];
}

/** Resolves the run's configuration; `saved` is the --init-from model, already loaded. */
export function resolveTrainConfig(o: TrainFlags, images: boolean, saved: Sequential | null): ResolvedConfig {
  const d = images ? IMAGE_DEFAULTS : CSV_DEFAULTS;
  const warnings: string[] = [];
  const data = o.data!;
  if (isImageDataset(data) && o.testSplit > 0)
    throw new ConfigError(`--test-split does not apply to ${data}: its own test images are the test set`);
  const t = (saved?.trainingConfig ?? {}) as Partial<Record<keyof TrainConfig, unknown>>;
  const fromModel: string[] = [];
  const fromFlags: string[] = [];
  /** A flag when given, else the saved model's value when it has one (undefined: none), else the default. */
  const pick = <T>(
    label: string,
    flag: T | undefined,
    inherited: T | undefined,
    fallback: T,
    show: (v: T) => string = String,
  ): T => {
    if (flag !== undefined) {
      if (saved) fromFlags.push(`${label} ${show(flag)}`);
      return flag;
    }
    if (saved && inherited !== undefined) {
      fromModel.push(`${label} ${show(inherited)}`);
      return inherited;
    }
    return fallback;
  };

  const task = pick<Task>(
    'task',
    o.task === undefined ? undefined : choice('--task', o.task, TASKS),
    saved?.task ?? undefined,
    'classification',
  );
  const savedLoss = saved ? lossOf(saved) : undefined;
  const loss = pick<LossName>(
    'loss',
    o.loss === undefined ? undefined : resolveLoss(o.loss),
    savedLoss,
    taskDefaults(task).loss,
  );
  const savedOptimizer =
    typeof t.optimizer === 'string' && (OPTIMIZERS as readonly string[]).includes(t.optimizer)
      ? (t.optimizer as OptimizerName)
      : undefined;
  const optimizer = pick<OptimizerName>(
    'optimizer',
    o.optimizer === undefined ? undefined : choice('--optimizer', o.optimizer, OPTIMIZERS),
    savedOptimizer,
    'adam',
  );
  // Rates and momenta belong to an optimiser: they carry over only when it stays the same.
  const same = optimizer === savedOptimizer;
  const lr = pick('lr', o.lr, same ? num(t.lr) : undefined, defaultLr(optimizer));
  const momentum = pick<number | null>('momentum', o.momentum, same ? num(t.momentum) : undefined, null);
  const weightDecay = pick('weight decay', o.weightDecay, num(t.weightDecay), 0);
  // Named among the inherited settings only when the saved run had an L1 penalty.
  const l1 = pick('L1', o.l1, num(t.l1) || undefined, 0);
  const epochs = o.epochs ?? d.epochs;
  const inheritedSchedule = saved ? scheduleOf(t.schedule, epochs) : undefined;
  const schedule = pick<Schedule | null>(
    'schedule',
    o.schedule === undefined
      ? undefined
      : (buildSchedule(o.schedule, epochs, { stepSize: o.stepSize, gamma: o.gamma, minLr: o.minLr }) ?? null),
    inheritedSchedule,
    buildSchedule(d.schedule, epochs, { stepSize: o.stepSize, gamma: o.gamma, minLr: o.minLr }) ?? null,
    showSchedule,
  );

  let layers = o.layers ?? d.layers;
  let activation = o.activation ?? 'relu';
  let dropout = o.dropout ?? d.dropout;
  if (saved) {
    for (const [flag, given] of [
      ['--layers', o.layers],
      ['--activation', o.activation],
      ['--init', o.init],
      ['--dropout', o.dropout],
    ] as const) {
      if (given !== undefined)
        warnings.push(`${flag} is ignored with --init-from: the saved model's architecture is kept`);
    }
    ({ layers, activation, dropout } = architectureOf(saved));
  } else {
    if (o.dropout !== undefined && o.dropout > 0 && layers.length === 0)
      warnings.push('--dropout has no effect without hidden layers');
  }
  if (o.momentum !== undefined && !WITH_MOMENTUM.includes(optimizer))
    warnings.push(`--momentum has no effect with --optimizer ${optimizer}`);
  const scheduleName = schedule?.name ?? 'constant';
  if (o.gamma !== undefined && scheduleName !== 'step' && scheduleName !== 'exponential')
    warnings.push(`--gamma has no effect without --schedule step or exponential (the schedule is ${scheduleName})`);
  if (o.stepSize !== undefined && scheduleName !== 'step')
    warnings.push(`--step-size has no effect without --schedule step (the schedule is ${scheduleName})`);
  if (o.minLr !== undefined && scheduleName !== 'cosine')
    warnings.push(`--min-lr has no effect without --schedule cosine (the schedule is ${scheduleName})`);
  if (schedule?.name === 'cosine' && (schedule.minLr ?? 0) > lr) {
    throw new ConfigError(
      `--min-lr ${schedule.minLr} is above the learning rate ${lr}: the cosine schedule anneals from --lr down to --min-lr`,
    );
  }

  const config: TrainConfig = {
    data,
    dataDir: o.dataDir ?? null,
    target: o.target ?? null,
    task,
    layers,
    activation,
    init: saved ? null : (o.init ?? null),
    dropout,
    loss,
    optimizer,
    lr,
    momentum: WITH_MOMENTUM.includes(optimizer) ? momentum : null,
    weightDecay,
    l1,
    clipNorm: o.clipNorm ?? null,
    batchSize: o.batchSize ?? d.batchSize,
    epochs,
    seed: o.seed,
    standardize: o.standardize,
    validationSplit: o.validationSplit ?? d.validationSplit,
    testSplit: isImageDataset(data) ? null : o.testSplit,
    schedule,
    earlyStopping: o.earlyStopping ?? null,
    shuffle: o.shuffle,
    initFrom: o.initFrom ?? null,
    checkpointEvery: o.checkpointEvery ?? null,
    out: o.out!,
    backend: o.backend,
    delimiter: o.delimiter,
    color: o.color ?? null,
    imageSize: o.imageSize ?? null,
    features: o.features ?? null,
    standardizeTargets: o.standardizeTargets,
    stratify: o.stratify,
    saveSplits: o.saveSplits ?? null,
    stream: o.stream ?? null,
    shuffleBuffer: o.shuffleBuffer ?? null,
  };
  return { config, sources: saved ? { model: fromModel, flags: fromFlags } : null, warnings };
}

/** "from the model: optimizer rmsprop, lr 0.01; from flags: epochs 5" */
export function describeSources(dir: string, s: { model: string[]; flags: string[] }): string {
  return `continuing ${dir}: from the model: ${s.model.join(', ') || 'nothing'}; from flags: ${s.flags.join(', ') || 'nothing'}`;
}

function lossOf(model: Sequential): LossName | undefined {
  try {
    return model.loss;
  } catch {
    return undefined; // saved without a loss
  }
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The saved schedule with its parameters; a cosine's period becomes this run's epochs. */
function scheduleOf(v: unknown, epochs: number): Schedule | null | undefined {
  if (v === null) return null;
  if (typeof v !== 'object' || v === undefined) return undefined;
  const s = v as Schedule;
  switch (s.name) {
    case 'constant':
      return null;
    case 'step':
      return buildSchedule('step', epochs, { stepSize: s.stepSize, gamma: s.gamma });
    case 'exponential':
      return buildSchedule('exponential', epochs, { gamma: s.gamma });
    case 'cosine':
      return buildSchedule('cosine', epochs, { minLr: s.minLr });
    default:
      return undefined;
  }
}

function showSchedule(s: Schedule | null): string {
  if (s === null) return 'constant';
  const { name, ...params } = s;
  const p = Object.entries(params)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return p ? `${name} (${p})` : name;
}

/** Hidden sizes, hidden activation and dropout rate of a saved MLP, as the flags would give them. */
function architectureOf(model: Sequential): { layers: number[]; activation: string; dropout: number } {
  const hidden: number[] = [];
  let activation = 'relu';
  let dropout = 0;
  const layers = model.network.config();
  layers.forEach((l, i) => {
    if (l.type === 'dense' && layers.slice(i + 1).some((n) => n.type === 'dense')) {
      hidden.push(l.outFeatures);
      activation = l.activation;
    } else if (l.type === 'dropout') {
      dropout = l.rate;
    }
  });
  return { layers: hidden, activation, dropout };
}
