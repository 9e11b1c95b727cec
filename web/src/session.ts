// One training run of the playground: data, model and batch order from a configuration, stepped batch by batch.
import { Dense, Rng, Sequential, StandardScaler, Tensor, gradCheck, type GradCheckReport, type OptimizerSpec, type Scaler } from '../../src/index.js';
import type { OutputKind, PlaygroundConfig } from './config.js';
import { generateData, type DataSet } from './datasets.js';
import { expandFeatures, isIdentity } from './features.js';
import { walkBatch, type Walkthrough } from './walkthrough.js';
import { activationStats, type ActivationStats } from './activation-stats.js';
import { GRID_SIZE, gridInputs, layerOutputs, plottedOutput } from './probe.js';

/** A dense layer's parameters as the network view draws them. */
export interface LayerView {
  inputs: number;
  outputs: number;
  /** Row-major [outputs, inputs]. */
  weight: Float32Array;
  bias: Float32Array;
}

/** Loss and gradient size after selected epochs (thinned to at most HISTORY_POINTS). */
export interface History {
  epochs: number[];
  train: number[];
  test: number[];
  /** Per dense layer: the mean Frobenius norm ‖∂J/∂W‖ over the batches of the recorded epoch. */
  gradNorms: number[][];
}

/** Everything the page shows, computed in the worker and posted as plain data. */
export interface Snapshot {
  step: number;
  epoch: number;
  /** Loss of the last batch trained on (null before the first step). */
  batchLoss: number | null;
  trainLoss: number;
  testLoss: number;
  metricName: string;
  trainMetric: number;
  testMetric: number;
  diverged: boolean;
  history: History;
  gridSize: number;
  /** Plotted value per grid point: P(class 1) or the regression value. */
  output: Float32Array;
  /** Per dense layer (the output layer last): each neuron's output on the grid, [points, units] row-major. */
  neurons: Float32Array[];
  layers: LayerView[];
  /** Per hidden layer: its activations over the training set (histogram, saturated or dead share). */
  activations: ActivationStats[];
  /** Per hidden layer: whether all its neurons have identical weights and bias (unbroken symmetry). */
  identical: boolean[];
}

const HISTORY_POINTS = 400;

/** Sub-seeds so that data, weights and batch order are independent streams of one seed. */
const INIT_STREAM = 0x2545f491;
const BATCH_STREAM = 0x68e31da4;

/** The settings a run can change without starting over: they act on the next step. */
export const LIVE_KEYS = ['lr', 'momentum', 'batchSize', 'l2', 'l1', 'optimizer'] as const satisfies readonly (keyof PlaygroundConfig)[];

/** Whether `next` differs from `current` only in settings a running session takes live. */
export function onlyLiveChanges(current: PlaygroundConfig, next: PlaygroundConfig): boolean {
  const live = new Set<string>(LIVE_KEYS);
  return (Object.keys(next) as (keyof PlaygroundConfig)[]).every((k) =>
    live.has(k) || k === 'steps' || JSON.stringify(current[k]) === JSON.stringify(next[k]));
}

export class Session {
  config: PlaygroundConfig;
  readonly data: DataSet;
  readonly model: Sequential;
  /** The output the data admits: regression data always trains identity + MSE. */
  readonly output: OutputKind;
  batchSize = 0;
  batchesPerEpoch = 0;
  step = 0;
  epoch = 0;
  private batchLoss: number | null = null;
  private diverged = false;
  private readonly scaler: Scaler | null;
  private readonly xTrain: Tensor;
  private readonly yTrain: Tensor;
  private readonly xTest: Tensor;
  private readonly yTest: Tensor;
  private readonly grid: Tensor;
  private readonly rng: Rng;
  private readonly order: Uint32Array;
  private cursor = 0;
  private xBatch = new Float32Array(0);
  private yBatch = new Float32Array(0);
  private readonly history: History;
  private stride = 1;
  private readonly gradSums: number[];
  private gradBatches = 0;

  constructor(config: PlaygroundConfig) {
    this.config = config;
    this.data = generateData(config);
    this.output = this.data.regression ? 'linear_mse' : config.output;
    const outputs = this.output === 'softmax_cce' ? 2 : 1;
    // The badly scaled second feature the network sees (x₂·scale + offset; identity by default).
    const rescale = (t: Tensor): Tensor => {
      if (config.x2Scale === 1 && config.x2Offset === 0) return t;
      const out = t.clone();
      for (let i = 1; i < out.data.length; i += 2) out.data[i] = out.data[i]! * config.x2Scale + config.x2Offset;
      return out;
    };
    // Then the chosen input features of those coordinates (x₁², sin x₂, ...).
    const inputsOf = (t: Tensor): Tensor => (isIdentity(config.features) ? rescale(t)
      : new Tensor(expandFeatures(rescale(t).data, config.features), [t.shape[0]!, config.features.length]));
    const rawTrain = inputsOf(rowsOf(this.data.x, this.data.trainIdx, 2));
    // The scaler is applied once here, to the training, test and grid inputs, rather than through
    // model.scaler on every batch, evaluation and probe of the grid.
    this.scaler = config.standardize ? StandardScaler.fit(rawTrain) : null;
    const scale = (t: Tensor): Tensor => (this.scaler ? this.scaler.transform(t) : t);
    this.xTrain = scale(rawTrain);
    this.xTest = scale(inputsOf(rowsOf(this.data.x, this.data.testIdx, 2)));
    this.yTrain = targets(this.data.y, this.data.trainIdx, outputs);
    this.yTest = targets(this.data.y, this.data.testIdx, outputs);
    this.grid = gridInputs(this.data.domain, GRID_SIZE, this.scaler, inputsOf);

    this.model = Sequential.mlp({
      inputs: config.features.length, hidden: config.hidden, outputs,
      task: this.output === 'sigmoid_bce' ? 'multilabel' : this.output === 'softmax_cce' ? 'classification' : 'regression',
      activation: config.identity ? 'linear' : config.activation,
      init: config.zeroInit ? 'zeros' : config.init,
      seed: (config.seed ^ INIT_STREAM) | 0,
    });
    this.model.compile({ loss: this.output === 'sigmoid_bce' ? 'bce' : this.output === 'softmax_cce' ? 'cce' : 'mse', optimizer: optimizerSpec(config) });

    const nTrain = this.data.trainIdx.length;
    this.setBatchSize(config);
    this.rng = new Rng((config.seed ^ BATCH_STREAM) | 0);
    this.order = Uint32Array.from({ length: nTrain }, (_, i) => i);
    const layers = this.model.network.denseLayers().length;
    this.gradSums = new Array<number>(layers).fill(0);
    this.history = { epochs: [], train: [], test: [], gradNorms: Array.from({ length: layers }, () => []) };
    this.record();
  }

  /**
   * Takes the settings that need no new run: a new learning rate keeps the optimiser's state
   * (momentum, Adam's moments); a new optimiser, momentum or L2 starts a fresh optimiser on the
   * current weights; a new batch size applies from the next batch. The step count carries on.
   */
  updateHyperParameters(next: PlaygroundConfig): void {
    const before = this.config;
    this.config = { ...next, steps: before.steps };
    if (before.optimizer !== next.optimizer || before.momentum !== next.momentum || before.l2 !== next.l2 || before.l1 !== next.l1) {
      this.model.compile({ loss: this.model.loss, metrics: this.model.metrics, optimizer: optimizerSpec(next) });
    } else if (before.lr !== next.lr) {
      this.model.optimizer.lr = next.lr;
    }
    if (before.batchSize !== next.batchSize || (before.optimizer === 'gd') !== (next.optimizer === 'gd')) this.setBatchSize(next);
  }

  private setBatchSize(config: PlaygroundConfig): void {
    const nTrain = this.data.trainIdx.length;
    const outputs = this.yTrain.shape[1]!;
    this.batchSize = config.optimizer === 'gd' ? nTrain : Math.min(config.batchSize, nTrain);
    this.batchesPerEpoch = Math.ceil(nTrain / this.batchSize);
    this.xBatch = new Float32Array(this.batchSize * this.xTrain.shape[1]!);
    this.yBatch = new Float32Array(this.batchSize * outputs);
  }

  /**
   * One gradient step on the next batch of the current epoch; the order is reshuffled at the start
   * of every epoch, so the same seed gives the same batches. Returns the batch loss. `plotStep`
   * adds a point to the loss and gradient charts for this step alone (stepping by hand).
   */
  trainStep(plotStep = false): number {
    const { xb, yb } = this.nextBatch();
    return this.stepOn(xb, yb, plotStep);
  }

  /**
   * The next batch walked through the network phase by phase (see walkthrough.ts), then trained on,
   * exactly the step `trainStep` would have taken.
   */
  walkthrough(): Walkthrough {
    const { xb, yb } = this.nextBatch();
    const walk = walkBatch(this.model, xb, yb);
    const dense = this.model.network.denseLayers();
    const before = dense.map((d) => Float64Array.from(d.weight.data));
    const step = this.step;
    this.stepOn(xb, yb, true);
    walk.layers.forEach((layer, l) => {
      const after = dense[l]!.weight.data, old = before[l]!;
      layer.weightUpdate = layer.weight.map((r, u) => r.map((_, j) => after[u * layer.inputs + j]! - old[u * layer.inputs + j]!));
    });
    return { ...walk, step, learningRate: this.model.optimizer.lr, optimizer: this.model.optimizer.name };
  }

  /** The next batch of the epoch's shuffled order (shuffled at the start of every epoch). */
  private nextBatch(): { xb: Tensor; yb: Tensor } {
    const nTrain = this.order.length;
    if (this.cursor === 0) this.rng.shuffleInPlace(this.order);
    const count = Math.min(this.batchSize, nTrain - this.cursor);
    const outputs = this.yTrain.shape[1]!;
    const width = this.xTrain.shape[1]!;
    for (let i = 0; i < count; i++) {
      const row = this.order[this.cursor + i]!;
      for (let j = 0; j < width; j++) this.xBatch[width * i + j] = this.xTrain.data[width * row + j]!;
      for (let k = 0; k < outputs; k++) this.yBatch[i * outputs + k] = this.yTrain.data[row * outputs + k]!;
    }
    return {
      xb: new Tensor(this.xBatch.subarray(0, count * width), [count, width]),
      yb: new Tensor(this.yBatch.subarray(0, count * outputs), [count, outputs]),
    };
  }

  private stepOn(xb: Tensor, yb: Tensor, plotStep: boolean): number {
    const nTrain = this.order.length;
    const count = xb.shape[0]!;
    const loss = this.model.trainStep(xb, yb);
    this.batchLoss = loss;
    if (!Number.isFinite(loss)) this.diverged = true;
    this.accumulateGradNorms();
    this.step++;
    this.cursor += count;
    if (this.cursor >= nTrain) {
      this.cursor = 0;
      this.epoch++;
      this.record();
    } else if (plotStep) {
      this.record(this.epoch + this.cursor / nTrain);
    }
    return loss;
  }

  get isDiverged(): boolean {
    return this.diverged;
  }

  /** The current state for display (a fresh evaluation on train, test and the probe grid). */
  snapshot(): Snapshot {
    const train = this.model.evaluate(this.xTrain, this.yTrain);
    const test = this.model.evaluate(this.xTest, this.yTest);
    // Regression shows R² (a scale-free score); classification its accuracy.
    const metricName = this.model.metrics.includes('r2') ? 'r2' : this.model.metrics[0]!;
    const outputs = layerOutputs(this.model, this.grid);
    const dense = this.model.network.denseLayers();
    return {
      step: this.step, epoch: this.epoch, batchLoss: this.batchLoss,
      trainLoss: train.loss!, testLoss: test.loss!,
      metricName: metricName === 'r2' ? 'R²' : 'accuracy', trainMetric: train[metricName]!, testMetric: test[metricName]!,
      diverged: this.diverged,
      history: {
        epochs: [...this.history.epochs], train: [...this.history.train], test: [...this.history.test],
        gradNorms: this.history.gradNorms.map((g) => [...g]),
      },
      gridSize: GRID_SIZE,
      output: plottedOutput(outputs[outputs.length - 1]!, dense[dense.length - 1]!.outFeatures),
      neurons: outputs,
      layers: dense.map((d) => ({ inputs: d.inFeatures, outputs: d.outFeatures, weight: Float32Array.from(d.weight.data), bias: Float32Array.from(d.bias.data) })),
      identical: dense.slice(0, -1).map((d) => neuronsIdentical(d.weight.data, d.bias.data, d.inFeatures)),
      activations: layerOutputs(this.model, this.xTrain).slice(0, -1)
        .map((a, l) => activationStats(a, dense[l]!.outFeatures, this.config.identity ? 'linear' : this.config.activation)),
    };
  }

  /**
   * Back-propagation against central differences on the current weights (first 64 training
   * examples). `plantBug` drops g′(z) from the first layer's backward pass (it back-propagates dA as
   * if it were dZ), a real error to set beside round-off.
   */
  gradCheck(plantBug = false): GradCheckReport {
    if (!plantBug) return gradCheck(this.model, this.xTrain, this.yTrain, { maxExamples: 64 });
    const original = Dense.prototype.backward;
    // The network asks no input gradient of its first layer: that is how the planted bug finds it.
    Dense.prototype.backward = function (this: Dense, dOut, options) {
      return original.call(this, dOut, options?.inputGradient === false ? { ...options, fromPreActivation: true } : options);
    };
    try {
      return gradCheck(this.model, this.xTrain, this.yTrain, { maxExamples: 64 });
    } finally {
      Dense.prototype.backward = original;
    }
  }

  private accumulateGradNorms(): void {
    this.model.network.denseLayers().forEach((d, l) => {
      let s = 0;
      for (const g of d.weightGrad.data) s += g * g;
      this.gradSums[l] = this.gradSums[l]! + Math.sqrt(s);
    });
    this.gradBatches++;
  }

  /**
   * Appends the losses at this epoch (every `stride`-th epoch), halving the history when it is full;
   * `at` is a fractional epoch for a point recorded within an epoch (a single step).
   */
  private record(at = this.epoch): void {
    const batches = this.gradBatches;
    const gradMeans = this.gradSums.map((s) => (batches === 0 ? NaN : s / batches));
    this.gradSums.fill(0);
    this.gradBatches = 0;
    if (at === this.epoch && this.epoch % this.stride !== 0) return;
    const h = this.history;
    h.epochs.push(at);
    h.train.push(this.model.evaluate(this.xTrain, this.yTrain).loss!);
    h.test.push(this.model.evaluate(this.xTest, this.yTest).loss!);
    gradMeans.forEach((g, l) => h.gradNorms[l]!.push(g));
    if (h.epochs.length >= HISTORY_POINTS) {
      // Keep the epochs that are multiples of the doubled stride, so thinning never depends on timing.
      this.stride *= 2;
      const keep = h.epochs.map((e) => e % this.stride === 0);
      const thin = (a: number[]): number[] => a.filter((_, i) => keep[i]);
      h.epochs = thin(h.epochs);
      h.train = thin(h.train);
      h.test = thin(h.test);
      h.gradNorms = h.gradNorms.map(thin);
    }
  }
}

function optimizerSpec(c: PlaygroundConfig): OptimizerSpec {
  const common = { lr: c.lr, weightDecay: c.l2, l1: c.l1 };
  switch (c.optimizer) {
    case 'gd':
    case 'sgd':
      return { name: 'sgd', ...common };
    case 'momentum':
      return { name: 'momentum', ...common, momentum: c.momentum };
    case 'adam':
      return { name: 'adam', ...common };
  }
}

/** The rows `idx` of a row-major [n, width] array, as a [idx.length, width] tensor. */
function rowsOf(data: Float32Array, idx: Uint32Array, width: number): Tensor {
  const out = new Float32Array(idx.length * width);
  idx.forEach((row, i) => out.set(data.subarray(row * width, (row + 1) * width), i * width));
  return new Tensor(out, [idx.length, width]);
}

/** Targets [m, outputs]: the value itself, or one-hot rows for a two-unit softmax. */
function targets(y: Float32Array, idx: Uint32Array, outputs: number): Tensor {
  const out = new Float32Array(idx.length * outputs);
  idx.forEach((row, i) => {
    if (outputs === 1) out[i] = y[row]!;
    else out[i * outputs + (y[row]! === 1 ? 1 : 0)] = 1;
  });
  return new Tensor(out, [idx.length, outputs]);
}

/** Whether every row of W [units, inputs] and every bias equals the first neuron's. */
export function neuronsIdentical(weight: ArrayLike<number>, bias: ArrayLike<number>, inputs: number): boolean {
  const units = bias.length;
  for (let u = 1; u < units; u++) {
    if (bias[u] !== bias[0]) return false;
    for (let j = 0; j < inputs; j++) if (weight[u * inputs + j] !== weight[j]) return false;
  }
  return true;
}
