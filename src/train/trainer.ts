// The training loop: batches, forward, loss, backward, optimiser step, metrics, validation, callbacks.
import { ConfigError, check, DataError } from '../core/errors.js';
import type { Rng } from '../core/random.js';
import type { FloatArray, Tensor } from '../core/tensor.js';
import { type BatchSource, TensorSource } from '../data/source.js';
import { MatrixBuffer } from '../nn/buffers.js';
import { type LossInput, type LossName, lossGradient, lossValue } from '../nn/losses.js';
import type { Network } from '../nn/network.js';
import { createOptimizer, type OptimizerSpec } from '../optim/factory.js';
import type { Optimizer } from '../optim/optimizer.js';
import { type Schedule, validateSchedule } from '../optim/schedules.js';
import type { Callback } from './callbacks.js';
import { type FitResult, resolveBatchSize, TrainingRun, type TrainingSnapshot } from './run.js';

export type { FitResult } from './run.js';

import { createMetric, type MetricName } from './metrics.js';

/**
 * How `fit` trains: epochs, batch size, shuffling, validation, seed, callbacks, schedule, resume.
 *
 * @example
 * model.fit(x, y, { epochs: 20, batchSize: 64, validationSplit: 0.2, seed: 1, callbacks: [new EarlyStopping({ patience: 3 })] });
 */
export interface FitOptions {
  /** Passes over the training data (default 1; 0 trains nothing; Infinity trains until the run is stopped). */
  epochs?: number;
  /** Examples per gradient step (default 32); `'all'` or a size ≥ the data is batch gradient descent. */
  batchSize?: number | 'all';
  /** Reshuffle the training examples every epoch (default true). */
  shuffle?: boolean;
  /** Hold out the LAST fraction of the examples for validation (Keras's semantics; default 0). */
  validationSplit?: number;
  /** Explicit validation data (takes precedence over validationSplit). */
  validationData?: [Tensor, Tensor] | BatchSource;
  /** Seed of the shuffling and dropout generator (default 0). */
  seed?: number;
  /** Hooks called at the start and end of training, of each epoch and after each batch (in order). */
  callbacks?: Callback[];
  /** Learning rate per epoch, from the optimiser's initial rate. */
  schedule?: Schedule;
  /** false: the history holds only the latest epoch's logs, so a run with `epochs: Infinity` keeps constant memory (default true). */
  keepHistory?: boolean;
  /** Continue from a snapshot of a run with the same data and options; `epochs` stays the run's total. */
  resume?: TrainingSnapshot;
}

/** What a Trainer trains with: the loss, the optimiser (over the network's parameters) and the metrics. */
export interface TrainerOptions {
  /** The loss J minimised. */
  loss: LossName;
  /** Updates the parameters after each batch; its state lives as long as the trainer. */
  optimizer: Optimizer;
  /** Metrics computed on every epoch's training batches and on validation data. */
  metrics: MetricName[];
  /** δ of the Huber loss (default 1). */
  huberDelta?: number;
  /** Applied in place to every input batch (the model's scaler). */
  preprocess?: (x: FloatArray, m: number) => void;
}

/**
 * Runs the gradient-descent loop of a network with one loss, one optimiser and metrics (what
 * `Sequential.fit` uses; for a bare Network).
 *
 * @example
 * const net = new Network([new Dense(2, 8, { activation: 'tanh' }), new Dense(8, 1)]);
 * const trainer = new Trainer(net, { loss: 'mse', optimizer: new SGD(net.parameters(), { lr: 0.1 }), metrics: ['mae'] });
 * const { history } = trainer.fit(x, y, { epochs: 100, batchSize: 'all' });
 */
export class Trainer {
  /** The network being trained (its parameters are updated in place). */
  readonly network: Network;
  /** Loss, optimiser, metrics and preprocessing. */
  readonly options: TrainerOptions;
  private readonly gradBuf: MatrixBuffer;
  private readonly xBuf: MatrixBuffer;
  private readonly yBuf: MatrixBuffer;
  private currentOptimizer: Optimizer;

  /** A trainer over `network`; its batch buffers live in the network's backend. `Sequential` builds one when first needed. */
  constructor(network: Network, options: TrainerOptions) {
    this.network = network;
    this.options = options;
    this.currentOptimizer = options.optimizer;
    const { dtype, backend } = network.context;
    this.gradBuf = new MatrixBuffer(network.outputFeatures, dtype, backend);
    this.xBuf = new MatrixBuffer(network.inputFeatures, dtype, backend);
    this.yBuf = new MatrixBuffer(network.outputFeatures, dtype, backend);
  }

  /** Gives the trainer's buffers and the optimiser's state back to the backend. */
  dispose(): void {
    for (const b of [this.gradBuf, this.xBuf, this.yBuf]) b.dispose();
    this.currentOptimizer.reset();
  }

  /** `options.optimizer`. */
  get optimizer(): Optimizer {
    return this.currentOptimizer;
  }

  /**
   * Replaces the optimiser by a fresh one from `spec` over the same parameters (its state starts
   * empty; the weights are untouched) and returns it. The old one's state is given back.
   */
  setOptimizer(spec: OptimizerSpec): Optimizer {
    const next = createOptimizer(spec, this.network.parameters(), { backend: this.network.backend });
    this.currentOptimizer.reset();
    this.currentOptimizer = next;
    return next;
  }

  /**
   * Forward and backward over one batch: zeroes the gradients, then leaves dJ/dθ of the batch's
   * mean loss in every parameter's `grad`. Returns the loss J. Inputs must already be preprocessed.
   */
  computeGradients(
    x: Tensor,
    y: Tensor,
    rng?: Rng,
  ): {
    /** The batch's mean loss J. */
    loss: number;
    /** ŷ [m, outputs], a network-owned buffer valid until the next forward pass. */
    output: Tensor;
  } {
    const { input, loss } = this.forwardLoss(x, y, rng);
    const grad = this.gradBuf.view(x.shape[0]!);
    const wrt = lossGradient(
      this.options.loss,
      input,
      grad.data,
      this.options.huberDelta,
      this.network.context.backend,
    );
    // Overwriting the gradients equals zeroGrad() + accumulate, without a pass over their memory.
    this.network.backward(grad, { fromPreActivation: wrt === 'z', accumulate: false });
    return { loss, output: input.output };
  }

  /** The batch's mean loss J with the network in training mode (no gradients, no update). */
  batchLoss(x: Tensor, y: Tensor, rng?: Rng): number {
    return this.forwardLoss(x, y, rng).loss;
  }

  /** Training-mode forward pass and the loss, computed from the logits where the output layer has them. */
  private forwardLoss(x: Tensor, y: Tensor, rng?: Rng): { input: LossInput; loss: number } {
    const output = this.network.forward(x, { training: true, rng });
    const head = this.network.outputLayer();
    const input: LossInput = {
      output,
      target: y,
      activation: head.finalActivation(),
      logits: head.lastPreActivation(),
    };
    return { input, loss: lossValue(this.options.loss, input, this.options.huberDelta) };
  }

  /** One optimisation step on a batch (forward, backward, update). Returns the batch loss. */
  trainStep(x: Tensor, y: Tensor, rng?: Rng): number {
    const { loss } = this.computeGradients(x, y, rng);
    if (Number.isFinite(loss)) this.optimizer.step();
    return loss;
  }

  /** Mean loss and metrics over a data source, in inference mode. */
  evaluate(source: BatchSource, batchSize = 256, indices?: ArrayLike<number>): Record<string, number> {
    const idx = indices ?? identity(source.size);
    const metrics = this.options.metrics.map(createMetric);
    let total = 0;
    let seen = 0;
    for (let start = 0; start < idx.length; start += batchSize) {
      const count = Math.min(batchSize, idx.length - start);
      const { x, y } = this.loadBatch(source, idx, start, count);
      const output = this.network.forward(x, { training: false });
      const head = this.network.outputLayer();
      // In inference mode layers keep no z; the probability forms of the losses are used then.
      const loss = lossValue(
        this.options.loss,
        { output, target: y, activation: head.finalActivation(), logits: null },
        this.options.huberDelta,
      );
      total += loss * count;
      seen += count;
      for (const m of metrics) m.update(output.data, y.data, count, y.shape[1]!);
    }
    const result: Record<string, number> = { loss: seen === 0 ? NaN : total / seen };
    for (const m of metrics) result[m.name] = m.result();
    return result;
  }

  /** Keras-style fit over tensors or a batch source. */
  fit(x: Tensor | BatchSource, y: Tensor | null, options: FitOptions = {}): FitResult {
    return this.start(x, y, options).drain();
  }

  /**
   * The same run as fit(), as an iterator that trains one batch per next(); with `options.resume`
   * it continues a snapshot taken by TrainingRun.snapshot() (same data and options) exactly.
   */
  start(x: Tensor | BatchSource, y: Tensor | null, options: FitOptions = {}): TrainingRun {
    const source = isSource(x) ? x : new TensorSource(x, y!);
    checkSourceFits(source, this.network);
    const epochs = options.epochs ?? 1;
    check(
      (Number.isInteger(epochs) && epochs >= 0) || epochs === Infinity,
      ConfigError,
      () => `fit: epochs must be a non-negative integer or Infinity, got ${epochs}`,
    );
    const split = options.validationSplit ?? 0;
    check(
      Number.isFinite(split) && split >= 0 && split < 1,
      ConfigError,
      () => `fit: validationSplit must be in [0, 1), got ${split}`,
    );
    if (options.schedule) validateSchedule(options.schedule);

    let trainIdx = identity(source.size);
    let valSource: BatchSource | null = null;
    let valIdx: Uint32Array | null = null;
    if (options.validationData) {
      const v = options.validationData;
      valSource = Array.isArray(v) ? new TensorSource(v[0], v[1]) : v;
      checkSourceFits(valSource, this.network);
      valIdx = identity(valSource.size);
    } else if (split > 0) {
      const nVal = Math.round(source.size * split);
      check(
        nVal > 0 && nVal < source.size,
        DataError,
        () => `fit: validationSplit ${split} of ${source.size} examples leaves no validation or no training data`,
      );
      valSource = source;
      valIdx = trainIdx.slice(source.size - nVal);
      trainIdx = trainIdx.slice(0, source.size - nVal);
    }
    const n = trainIdx.length;
    check(n > 0, DataError, () => `fit: no training examples`);
    const batchSize = resolveBatchSize(options.batchSize ?? Math.min(32, n), n, 'fit');
    return new TrainingRun(
      this,
      {
        source,
        trainIdx,
        valSource,
        valIdx,
        epochs,
        batchSize,
        shuffle: options.shuffle ?? true,
        seed: options.seed ?? 0,
        schedule: options.schedule,
        callbacks: options.callbacks ?? [],
        keepHistory: options.keepHistory ?? true,
      },
      options.resume,
    );
  }

  /** Gathers and preprocesses rows start..start+count of `indices` into the batch buffers (used by TrainingRun). */
  loadBatch(
    source: BatchSource,
    indices: ArrayLike<number>,
    start: number,
    count: number,
  ): {
    /** Inputs [count, features], preprocessed; a trainer-owned buffer reused by the next call. */
    x: Tensor;
    /** Targets [count, targets]; trainer-owned like x. */
    y: Tensor;
  } {
    const x = this.xBuf.view(count);
    const y = this.yBuf.view(count);
    source.fill(indices, start, count, x.data, y.data, this.network.context.backend);
    this.options.preprocess?.(x.data, count);
    return { x, y };
  }
}

function identity(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

function isSource(v: Tensor | BatchSource): v is BatchSource {
  return typeof (v as BatchSource).fill === 'function';
}

function checkSourceFits(source: BatchSource, network: Network): void {
  check(
    source.features === network.inputFeatures,
    DataError,
    () => `data has ${source.features} features, the network expects ${network.inputFeatures}`,
  );
  check(
    source.targets === network.outputFeatures,
    DataError,
    () => `targets have ${source.targets} columns, the network has ${network.outputFeatures} outputs`,
  );
}
