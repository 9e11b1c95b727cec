// The playground's whole configuration and its URL form: a link carries everything a run depends on.
import type { ActivationName, InitName } from '../../src/index.js';
import { canonicalFeatures, DEFAULT_FEATURES, FEATURES, type FeatureName, TF_FEATURE_KEYS } from './features.js';

export type DatasetName = 'circle' | 'xor' | 'gauss' | 'spiral' | 'surface' | 'multigauss' | 'csv';
export const DATASETS: readonly DatasetName[] = ['circle', 'xor', 'gauss', 'spiral', 'surface', 'multigauss', 'csv'];
/** The generated regression data sets (the others are classifications). */
export const REGRESSION_DATASETS: readonly DatasetName[] = ['surface', 'multigauss'];

/** Output activation and loss: sigmoid + BCE (one output), softmax + CCE (two outputs), identity + MSE. */
export type OutputKind = 'sigmoid_bce' | 'softmax_cce' | 'linear_mse';
export const OUTPUTS: readonly OutputKind[] = ['sigmoid_bce', 'softmax_cce', 'linear_mse'];

/** gd is plain gradient descent on the whole training set (batch size "all"). */
export type OptimizerKind = 'gd' | 'sgd' | 'momentum' | 'adam';
export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ['gd', 'sgd', 'momentum', 'adam'];

export type HiddenActivation = Exclude<ActivationName, 'softmax'>;
export const HIDDEN_ACTIVATIONS: readonly HiddenActivation[] = ['tanh', 'relu', 'leaky_relu', 'sigmoid', 'linear'];
export const INITS: readonly InitName[] = [
  'glorot_uniform',
  'glorot_normal',
  'he_normal',
  'lecun_normal',
  'uniform',
  'zeros',
];

export const MAX_LAYERS = 6;
export const MAX_NEURONS = 8;

export interface PlaygroundConfig {
  dataset: DatasetName;
  /** Noise level in [0, 0.5]: coordinate jitter (classification) or target noise (regression). */
  noise: number;
  /** Fraction of the examples used for training, in [0.1, 0.9]; the rest is the test set. */
  trainRatio: number;
  /** Seeds the data, the initial weights and the batch order. */
  seed: number;
  /** Number of generated examples. */
  points: number;
  /** The user's CSV rows in URL form (see csv.ts); empty unless dataset is 'csv'. */
  csv: string;
  /** The network's inputs, computed from (x₁, x₂) (see features.ts), in FEATURES order. */
  features: FeatureName[];
  hidden: number[];
  activation: HiddenActivation;
  output: OutputKind;
  init: InitName;
  optimizer: OptimizerKind;
  lr: number;
  batchSize: number;
  momentum: number;
  /** L2 penalty λ (the optimiser's weightDecay). */
  l2: number;
  /** L1 penalty λ₁ (the optimiser's l1); the page sets one of l1 and l2, as TensorFlow Playground. */
  l1: number;
  standardize: boolean;
  /**
   * The network sees x₂·x2Scale + x2Offset instead of x₂ (the plots keep the original axes): badly
   * scaled features, which standardisation undoes and plain gradient descent struggles with.
   */
  x2Scale: number;
  x2Offset: number;
  /** Teaching view: every hidden activation is the identity, so the network is linear. */
  identity: boolean;
  /** Teaching view: every weight starts at zero, so the neurons of a layer stay identical. */
  zeroInit: boolean;
  /** Gradient steps to run as soon as the page loads (reproduces a shared state). */
  steps: number;
}

export const DEFAULT_CONFIG: PlaygroundConfig = {
  dataset: 'circle',
  noise: 0.1,
  trainRatio: 0.6,
  seed: 1,
  points: 400,
  csv: '',
  features: [...DEFAULT_FEATURES],
  hidden: [4, 4],
  activation: 'tanh',
  output: 'sigmoid_bce',
  init: 'glorot_uniform',
  optimizer: 'adam',
  lr: 0.03,
  batchSize: 10,
  momentum: 0.9,
  l2: 0,
  l1: 0,
  standardize: true,
  x2Scale: 1,
  x2Offset: 0,
  identity: false,
  zeroInit: false,
  steps: 0,
};

/** The task a data set poses: regression data only admits the MSE output. */
export function isRegression(config: Pick<PlaygroundConfig, 'dataset' | 'csv'>, csvIsRegression = false): boolean {
  return REGRESSION_DATASETS.includes(config.dataset) || (config.dataset === 'csv' && csvIsRegression);
}

/** URL query string of a configuration, every field written so a link never depends on defaults. */
export function toQuery(c: PlaygroundConfig): string {
  const q = new URLSearchParams();
  q.set('data', c.dataset);
  q.set('noise', String(c.noise));
  q.set('train', String(c.trainRatio));
  q.set('seed', String(c.seed));
  q.set('n', String(c.points));
  q.set('features', c.features.join('-'));
  q.set('layers', c.hidden.join('-'));
  q.set('act', c.activation);
  q.set('out', c.output);
  q.set('init', c.init);
  q.set('opt', c.optimizer);
  q.set('lr', String(c.lr));
  q.set('batch', String(c.batchSize));
  q.set('mom', String(c.momentum));
  q.set('l2', String(c.l2));
  q.set('l1', String(c.l1));
  q.set('std', c.standardize ? '1' : '0');
  q.set('x2scale', String(c.x2Scale));
  q.set('x2shift', String(c.x2Offset));
  q.set('identity', c.identity ? '1' : '0');
  q.set('zero', c.zeroInit ? '1' : '0');
  if (c.steps > 0) q.set('steps', String(c.steps));
  if (c.dataset === 'csv') q.set('csv', c.csv);
  return q.toString();
}

/**
 * Reads a configuration from a query string; a missing or invalid field keeps its default (listed
 * in `ignored`, so the page can say which parts of a link it did not understand).
 */
export function fromQuery(query: string): { config: PlaygroundConfig; ignored: string[] } {
  const q = new URLSearchParams(query.startsWith('?') || query.startsWith('#') ? query.slice(1) : query);
  const c: PlaygroundConfig = {
    ...DEFAULT_CONFIG,
    hidden: [...DEFAULT_CONFIG.hidden],
    features: [...DEFAULT_CONFIG.features],
  };
  const ignored: string[] = [];
  const read = <T>(key: string, parse: (raw: string) => T | null, apply: (v: T) => void): void => {
    const raw = q.get(key);
    if (raw === null) return;
    const v = parse(raw);
    if (v === null) ignored.push(key);
    else apply(v);
  };
  read('data', oneOf(DATASETS), (v) => (c.dataset = v));
  read('noise', numberIn(0, 0.5), (v) => (c.noise = v));
  read('train', numberIn(0.1, 0.9), (v) => (c.trainRatio = v));
  read('seed', integerIn(0, 2 ** 31 - 1), (v) => (c.seed = v));
  read('n', integerIn(20, 2000), (v) => (c.points = v));
  readTfFeatures(q, c, ignored);
  read(
    'features',
    (raw) => canonicalFeatures(raw.split('-')),
    (v) => (c.features = v),
  );
  read('layers', parseLayers, (v) => (c.hidden = v));
  read('act', oneOf(HIDDEN_ACTIVATIONS), (v) => (c.activation = v));
  read('out', oneOf(OUTPUTS), (v) => (c.output = v));
  read('init', oneOf(INITS), (v) => (c.init = v));
  read('opt', oneOf(OPTIMIZER_KINDS), (v) => (c.optimizer = v));
  read('lr', numberIn(1e-6, 10), (v) => (c.lr = v));
  read('batch', integerIn(1, 2000), (v) => (c.batchSize = v));
  read('mom', numberIn(0, 0.999), (v) => (c.momentum = v));
  readTfRegularization(q, c, ignored);
  read('l2', numberIn(0, 1), (v) => (c.l2 = v));
  read('l1', numberIn(0, 1), (v) => (c.l1 = v));
  if (c.l1 > 0 && c.l2 > 0) {
    // One penalty at a time, as the form offers it: the link's L2 stays.
    ignored.push('l1');
    c.l1 = 0;
  }
  read('std', flag, (v) => (c.standardize = v));
  read('x2scale', numberIn(0.01, 1000), (v) => (c.x2Scale = v));
  read('x2shift', numberIn(-1000, 1000), (v) => (c.x2Offset = v));
  read('identity', flag, (v) => (c.identity = v));
  read('zero', flag, (v) => (c.zeroInit = v));
  read('steps', integerIn(0, 100_000), (v) => (c.steps = v));
  read(
    'csv',
    (raw) => raw,
    (v) => (c.csv = v),
  );
  if (c.dataset === 'csv' && c.csv === '') {
    ignored.push('csv');
    c.dataset = DEFAULT_CONFIG.dataset;
  }
  if (c.dataset !== 'csv') c.csv = '';
  if (REGRESSION_DATASETS.includes(c.dataset)) c.output = 'linear_mse';
  return { config: c, ignored };
}

/** TensorFlow Playground's feature keys (`x=true&xSquared=true`...), when a link has any of them. */
function readTfFeatures(q: URLSearchParams, c: PlaygroundConfig, ignored: string[]): void {
  const given = FEATURES.filter((f) => q.has(TF_FEATURE_KEYS[f]));
  if (given.length === 0) return;
  const on: FeatureName[] = [];
  for (const f of given) {
    const v = tfFlag(q.get(TF_FEATURE_KEYS[f])!);
    if (v === null) ignored.push(TF_FEATURE_KEYS[f]);
    else if (v) on.push(f);
  }
  // TF's defaults are x and y: a feature the link leaves out keeps that default.
  for (const f of ['x1', 'x2'] as const) if (!given.includes(f)) on.push(f);
  const chosen = canonicalFeatures(on);
  if (chosen) c.features = chosen;
  else ignored.push(...given.map((f) => TF_FEATURE_KEYS[f]));
}

/** TensorFlow Playground's `regularization=L1|L2|none` with `regularizationRate`. */
function readTfRegularization(q: URLSearchParams, c: PlaygroundConfig, ignored: string[]): void {
  const kind = q.get('regularization');
  if (kind === null) return;
  const rate = numberIn(0, 1)(q.get('regularizationRate') ?? '');
  if (!['L1', 'L2', 'none'].includes(kind) || (kind !== 'none' && rate === null)) {
    ignored.push('regularization');
    return;
  }
  c.l1 = kind === 'L1' ? rate! : 0;
  c.l2 = kind === 'L2' ? rate! : 0;
}

function tfFlag(raw: string): boolean | null {
  return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : null;
}

function oneOf<T extends string>(allowed: readonly T[]): (raw: string) => T | null {
  return (raw) => ((allowed as readonly string[]).includes(raw) ? (raw as T) : null);
}

function numberIn(low: number, high: number): (raw: string) => number | null {
  return (raw) => {
    const v = raw.trim() === '' ? NaN : Number(raw);
    return Number.isFinite(v) && v >= low && v <= high ? v : null;
  };
}

function integerIn(low: number, high: number): (raw: string) => number | null {
  const inRange = numberIn(low, high);
  return (raw) => {
    const v = inRange(raw);
    return v !== null && Number.isInteger(v) ? v : null;
  };
}

function flag(raw: string): boolean | null {
  return raw === '1' ? true : raw === '0' ? false : null;
}

/** "4-8-8" (or TensorFlow Playground's "4,8,8") → [4, 8, 8]; "" is no hidden layer (logistic or linear regression). */
export function parseLayers(raw: string): number[] | null {
  if (raw === '') return [];
  const parts = raw.split(/[-,]/);
  if (parts.length > MAX_LAYERS) return null;
  const sizes = parts.map(integerIn(1, MAX_NEURONS));
  return sizes.every((s): s is number => s !== null) ? sizes : null;
}
