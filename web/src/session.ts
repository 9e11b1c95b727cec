// One training run of the playground: a model and the library's training loop (TrainingRun) over
// the data the page generated, stepped batch by batch, and what the page draws of it.
import {
  type Backend,
  Dense,
  type GradCheckReport,
  gradCheck,
  type OptimizerSpec,
  referenceBackend,
  type Scaler,
  Sequential,
  StandardScaler,
  Tensor,
  type TrainingRun,
} from '../../src/index.js';
import { type ActivationStats, activationStats } from './activation-stats.js';
import type { OutputKind, PlaygroundConfig } from './config.js';
import type { DataSet } from './datasets.js';
import { expandFeatures, isIdentity } from './features.js';
import { GRID_SIZE, gridInputs, layerOutputs, plottedOutput } from './probe.js';
import { type Walkthrough, walkBatch } from './walkthrough.js';

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
export const LIVE_KEYS = [
  'lr',
  'momentum',
  'batchSize',
  'l2',
  'l1',
  'optimizer',
] as const satisfies readonly (keyof PlaygroundConfig)[];

/** Whether `next` differs from `current` only in settings a running session takes live. */
export function onlyLiveChanges(current: PlaygroundConfig, next: PlaygroundConfig): boolean {
  const live = new Set<string>(LIVE_KEYS);
  return (Object.keys(next) as (keyof PlaygroundConfig)[]).every(
    (k) => live.has(k) || k === 'steps' || JSON.stringify(current[k]) === JSON.stringify(next[k]),
  );
}

export class Session {
  config: PlaygroundConfig;
  readonly data: DataSet;
  readonly model: Sequential;
  /** The output the data admits: regression data always trains identity + MSE. */
  readonly output: OutputKind;
  /** The library's loop over the training rows: it shuffles every epoch and cuts batches. */
  private readonly run: TrainingRun;
  private batchLoss: number | null = null;
  /** Training rows of the current epoch trained on so far (for a point plotted within an epoch). */
  private rowsInEpoch = 0;
  private readonly scaler: Scaler | null;
  private readonly xTrain: Tensor;
  private readonly yTrain: Tensor;
  private readonly xTest: Tensor;
  private readonly yTest: Tensor;
  private readonly grid: Tensor;
  private readonly history: History;
  private stride = 1;
  private readonly gradSums: number[];
  private gradBatches = 0;

  /** A run of `config` on `data` (generateData(config), made by the page), computed on `backend`. */
  constructor(config: PlaygroundConfig, data: DataSet, backend: Backend = referenceBackend) {
    this.config = config;
    this.data = data;
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
    const inputsOf = (t: Tensor): Tensor =>
      isIdentity(config.features)
        ? rescale(t)
        : new Tensor(expandFeatures(rescale(t).data, config.features), [t.shape[0]!, config.features.length]);
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
      inputs: config.features.length,
      hidden: config.hidden,
      outputs,
      task:
        this.output === 'sigmoid_bce' ? 'multilabel' : this.output === 'softmax_cce' ? 'classification' : 'regression',
      activation: config.identity ? 'linear' : config.activation,
      init: config.zeroInit ? 'zeros' : config.init,
      seed: (config.seed ^ INIT_STREAM) | 0,
      backend,
    });
    this.model.compile({
      loss: this.output === 'sigmoid_bce' ? 'bce' : this.output === 'softmax_cce' ? 'cce' : 'mse',
      optimizer: optimizerSpec(config),
    });
    // Trains until the page starts another run; the row order is reshuffled every epoch from its own stream.
    this.run = this.model.start(this.xTrain, this.yTrain, {
      epochs: Infinity,
      batchSize: batchSizeOf(config),
      shuffle: true,
      seed: (config.seed ^ BATCH_STREAM) | 0,
      keepHistory: false,
    });
    const layers = this.model.network.denseLayers().length;
    this.gradSums = new Array<number>(layers).fill(0);
    this.history = { epochs: [], train: [], test: [], gradNorms: Array.from({ length: layers }, () => []) };
    this.record();
  }

  /** Gradient steps taken. */
  get step(): number {
    return this.run.stepCount;
  }

  /** Completed epochs. */
  get epoch(): number {
    return this.run.completedEpochs;
  }

  get batchSize(): number {
    return this.run.batchSize;
  }

  get batchesPerEpoch(): number {
    return this.run.batchesPerEpoch;
  }

  /** Gives the model's memory back to its backend (a WASM backend's memory does not grow without threads). */
  dispose(): void {
    this.model.dispose();
  }

  /**
   * Takes the settings that need no new run: a new learning rate keeps the optimiser's state
   * (momentum, Adam's moments); a new optimiser, momentum or L2 starts a fresh optimiser on the
   * current weights; a new batch size applies from the next batch (the rest of the epoch is cut
   * into batches of the new size). The step count carries on.
   */
  updateHyperParameters(next: PlaygroundConfig): void {
    const before = this.config;
    this.config = { ...next, steps: before.steps };
    if (
      before.optimizer !== next.optimizer ||
      before.momentum !== next.momentum ||
      before.l2 !== next.l2 ||
      before.l1 !== next.l1
    ) {
      this.run.setOptimizer(optimizerSpec(next));
    } else if (before.lr !== next.lr) {
      this.run.optimizer.lr = next.lr;
    }
    if (batchSizeOf(before) !== batchSizeOf(next)) this.run.setBatchSize(batchSizeOf(next));
  }

  /**
   * One gradient step on the next batch of the current epoch; the order is reshuffled at the start
   * of every epoch, so the same seed gives the same batches. Returns the batch loss. `plotStep`
   * adds a point to the loss and gradient charts for this step alone (stepping by hand).
   */
  trainStep(plotStep = false): number {
    const result = this.run.next();
    if (result.done) return NaN;
    const step = result.value;
    this.batchLoss = step.loss;
    this.accumulateGradNorms();
    this.rowsInEpoch += step.size;
    if (step.epochEnd) {
      this.rowsInEpoch = 0;
      this.record();
    } else if (plotStep && !this.isDiverged) {
      this.record(this.epoch + this.rowsInEpoch / this.data.trainIdx.length);
    }
    return step.loss;
  }

  /**
   * The next batch walked through the network phase by phase (see walkthrough.ts), then trained on:
   * the very step `trainStep` would have taken.
   */
  walkthrough(): Walkthrough {
    const { x, y } = this.run.peek();
    const walk = walkBatch(this.model, x, y);
    const dense = this.model.network.denseLayers();
    const before = dense.map((d) => Float64Array.from(d.weight.data));
    const step = this.step;
    this.trainStep(true);
    walk.layers.forEach((layer, l) => {
      const after = dense[l]!.weight.data,
        old = before[l]!;
      layer.weightUpdate = layer.weight.map((r, u) =>
        r.map((_, j) => after[u * layer.inputs + j]! - old[u * layer.inputs + j]!),
      );
    });
    return { ...walk, step, learningRate: this.run.optimizer.lr, optimizer: this.run.optimizer.name };
  }

  /**
   * Whether training stopped because the loss or the weights became non-finite; the loop then put
   * back the weights of the last completed epoch.
   */
  get isDiverged(): boolean {
    return this.run.result().diverged;
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
      step: this.step,
      epoch: this.epoch,
      batchLoss: this.batchLoss,
      trainLoss: train.loss!,
      testLoss: test.loss!,
      metricName: metricName === 'r2' ? 'R²' : 'accuracy',
      trainMetric: train[metricName]!,
      testMetric: test[metricName]!,
      diverged: this.isDiverged,
      history: {
        epochs: [...this.history.epochs],
        train: [...this.history.train],
        test: [...this.history.test],
        gradNorms: this.history.gradNorms.map((g) => [...g]),
      },
      gridSize: GRID_SIZE,
      output: plottedOutput(outputs[outputs.length - 1]!, dense[dense.length - 1]!.outFeatures),
      neurons: outputs,
      layers: dense.map((d) => ({
        inputs: d.inFeatures,
        outputs: d.outFeatures,
        weight: Float32Array.from(d.weight.data),
        bias: Float32Array.from(d.bias.data),
      })),
      identical: dense.slice(0, -1).map((d) => neuronsIdentical(d.weight.data, d.bias.data, d.inFeatures)),
      activations: layerOutputs(this.model, this.xTrain)
        .slice(0, -1)
        .map((a, l) =>
          activationStats(a, dense[l]!.outFeatures, this.config.identity ? 'linear' : this.config.activation),
        ),
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
      return original.call(
        this,
        dOut,
        options?.inputGradient === false ? { ...options, fromPreActivation: true } : options,
      );
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

/** Plain gradient descent ('gd') takes every training row per step. */
function batchSizeOf(c: PlaygroundConfig): number | 'all' {
  return c.optimizer === 'gd' ? 'all' : c.batchSize;
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
