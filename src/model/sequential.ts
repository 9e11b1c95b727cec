// The user-facing model: a network plus what it was trained for (task, loss, labels, scaler).
import type { ActivationName, Backend } from '../backend/backend.js';
import { referenceBackend } from '../backend/reference/reference.js';
import { ConfigError, check, DataError } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { assertFinite, type DType, expect2D, Tensor } from '../core/tensor.js';
import type { Label } from '../data/labels.js';
import type { ModelInput } from '../data/model-input.js';
import type { Scaler, StandardScaler } from '../data/scaler.js';
import type { BatchSource } from '../data/source.js';
import { TensorSource } from '../data/source.js';
import { resolveActivation } from '../nn/activations.js';
import { MatrixBuffer } from '../nn/buffers.js';
import { Dense } from '../nn/dense.js';
import { Dropout } from '../nn/dropout.js';
import type { InitSpec } from '../nn/init.js';
import type { Layer, LayerContext, Parameter } from '../nn/layer.js';
import { DEFAULT_HUBER_DELTA, type LossName, resolveLoss } from '../nn/losses.js';
import { Network, type NetworkSummary } from '../nn/network.js';
import { createOptimizer, type OptimizerSpec } from '../optim/factory.js';
import type { Optimizer } from '../optim/optimizer.js';
import { argmaxRow, type MetricName, resolveMetric } from '../train/metrics.js';
import type { TrainingRun } from '../train/run.js';
import { type FitOptions, type FitResult, Trainer } from '../train/trainer.js';

/** What the output layer predicts, which fixes its activation and default loss. */
export type Task = 'classification' | 'multilabel' | 'regression';
/** Every Task. */
export const TASKS: readonly Task[] = ['classification', 'multilabel', 'regression'];

export type { Label };

/**
 * Output activation and loss of each task: softmax + CCE, sigmoid + BCE, identity + MSE.
 *
 * @example
 * taskDefaults('classification'); // { activation: 'softmax', loss: 'categorical_crossentropy', metrics: ['accuracy'] }
 */
export function taskDefaults(task: Task): {
  /** Activation g^[L] of the output layer. */
  activation: ActivationName;
  /** The loss that pairs with it. */
  loss: LossName;
  /** Metrics reported by default. */
  metrics: MetricName[];
} {
  switch (task) {
    case 'classification':
      return { activation: 'softmax', loss: 'categorical_crossentropy', metrics: ['accuracy'] };
    case 'multilabel':
      return { activation: 'sigmoid', loss: 'binary_crossentropy', metrics: ['binary_accuracy'] };
    case 'regression':
      return { activation: 'linear', loss: 'mse', metrics: ['mse', 'mae', 'r2'] };
  }
}

/** `name` as a Task; throws a ConfigError naming the valid tasks when it is none of them. */
export function resolveTask(name: string): Task {
  check(
    (TASKS as readonly string[]).includes(name),
    ConfigError,
    () => `unknown task '${name}'; expected one of ${TASKS.join(', ')}`,
  );
  return name as Task;
}

/** What `Sequential.compile` takes: the loss, the optimiser and the metrics. */
export interface CompileOptions {
  /** The loss J, by name or alias (`bce`, `cce`, `l2` = mse, `l1` = mae). */
  loss: LossName | 'bce' | 'cce' | 'l2' | 'l1';
  /** The optimiser, by name or with options (default `'adam'` with its default rate). */
  optimizer?: OptimizerSpec;
  /** Metrics reported by fit and evaluate (default: by task, else by loss). */
  metrics?: MetricName[];
  /** δ of the Huber loss (default 1). */
  huberDelta?: number;
}

/** What `Sequential.mlp` takes: the layer sizes and how the layers are built. */
export interface MlpOptions {
  /** Input features n_x (the width of each flattened example). */
  inputs: number;
  /** Neurons of each hidden layer, e.g. [64, 32]. */
  hidden: number[];
  /** Output units n^[L] (classes for classification, targets for regression). */
  outputs: number;
  /** The task: picks the output activation and compiles the model with the task's loss. Without it the model is uncompiled. */
  task?: Task;
  /** Hidden activation (default relu). */
  activation?: ActivationName | 'identity';
  /** Output activation (default from the task, else linear). */
  outputActivation?: ActivationName | 'identity';
  /** Weight initialiser of every dense layer (default: He for ReLU-like activations, Glorot otherwise). */
  init?: InitSpec;
  /** Dropout rate after each hidden layer (default 0: none). */
  dropout?: number;
  /** Seed of the generator that initialises the weights (default 0). */
  seed?: number;
  /** float32 (default) or float64. */
  dtype?: DType;
  /** Where the kernels run (default: the reference backend). */
  backend?: Backend;
}

/**
 * A feed-forward model: layers, compile (loss, optimiser, metrics), fit, evaluate, predict.
 * Inputs x are [m, n_x] (m examples as rows; any x of rank > 2 is flattened to [m, features]) and
 * targets y are [m, n^[L]] (a 1-D y of m values is read as [m, 1]).
 *
 * @example
 * const x = Tensor.from([[0, 0], [0, 1], [1, 0], [1, 1]]);
 * const y = Tensor.from([[0], [1], [1], [0]]);
 * const model = Sequential.mlp({ inputs: 2, hidden: [8], outputs: 1, task: 'multilabel', activation: 'tanh', seed: 1 });
 * model.compile({ loss: 'bce', optimizer: { name: 'adam', lr: 0.05 } });
 * model.fit(x, y, { epochs: 300, batchSize: 'all' });
 * model.predict(x); // probabilities
 */
export class Sequential {
  /** The layers (forward, backward, parameters). */
  network: Network;
  /** What the model predicts (null when it was built from layers without one). */
  task: Task | null = null;
  /** Class labels, output unit k ↔ labels[k] (classification and multilabel). */
  labels: Label[] | null = null;
  /** Names of the input features and target columns, when known (CSV headers). */
  featureNames: string[] | null = null;
  /** Names of the target columns, output unit k ↔ targetNames[k] (regression), when known. */
  targetNames: string[] | null = null;
  /** Fitted input scaling, applied by fit, evaluate and predict. */
  scaler: Scaler | null = null;
  /** What the inputs are when they are images (model.json's `input`), so new images are converted alike. */
  input: ModelInput | null = null;
  /** Standardisation of regression targets fitted on the training rows: the network predicts scaled targets. */
  targetScaler: StandardScaler | null = null;
  /** Free-form record of how the model was trained (saved in model.json). */
  trainingConfig: Record<string, unknown> = {};
  private trainer: Trainer | null = null;
  /** predict's input batch in the backend's memory (allocated by the first predict). */
  private predictInput: MatrixBuffer | null = null;
  private compiled: { loss: LossName; metrics: MetricName[]; huberDelta: number; optimizer: OptimizerSpec } | null =
    null;

  /**
   * A model over `layers` (built for `options.dtype`, default float32, on `options.backend`,
   * default the reference backend) or over an existing Network. Compile it before fit.
   */
  constructor(layers: Layer[] | Network, options: { dtype?: DType; backend?: Backend } = {}) {
    const context: LayerContext = { dtype: options.dtype ?? 'float32', backend: options.backend ?? referenceBackend };
    this.network = layers instanceof Network ? layers : new Network(layers, context);
  }

  /**
   * An MLP inputs → hidden… → outputs with the task's output activation: a Dense layer per entry
   * of `hidden` (each followed by Dropout when `dropout` > 0), then the output Dense layer. With a
   * task the model is compiled with the task's loss and Adam. Throws a ConfigError for an unknown
   * activation or initialiser.
   *
   * @example
   * const model = Sequential.mlp({ inputs: 64, hidden: [64, 32], outputs: 10, task: 'classification', seed: 1 });
   * model.summary().totalParameters; // 64·64 + 64 + 64·32 + 32 + 32·10 + 10 = 6570
   */
  static mlp(o: MlpOptions): Sequential {
    const rng = new Rng(o.seed ?? 0);
    const context: LayerContext = { dtype: o.dtype ?? 'float32', backend: o.backend ?? referenceBackend };
    const hiddenActivation = resolveActivation(o.activation ?? 'relu');
    const outputActivation = resolveActivation(
      o.outputActivation ?? (o.task ? taskDefaults(o.task).activation : 'linear'),
    );
    check(Array.isArray(o.hidden), ConfigError, () => `mlp: hidden must be an array of layer sizes`);
    const layers: Layer[] = [];
    let width = o.inputs;
    for (const units of o.hidden) {
      layers.push(new Dense(width, units, { activation: hiddenActivation, init: o.init, rng, context }));
      if (o.dropout) layers.push(new Dropout(o.dropout).withContext(context));
      width = units;
    }
    layers.push(new Dense(width, o.outputs, { activation: outputActivation, init: o.init, rng, context }));
    const model = new Sequential(new Network(layers, context));
    model.task = o.task ?? null;
    if (o.task) model.compile({ loss: taskDefaults(o.task).loss });
    return model;
  }

  /**
   * Gives the model's memory (weights, gradients, work buffers, optimiser state) back to its backend
   * now rather than when the model is garbage-collected: what a long-lived wasm backend that builds
   * many models needs. The model must not be used afterwards.
   */
  dispose(): void {
    this.trainer?.dispose();
    this.trainer = null;
    this.predictInput?.dispose();
    this.predictInput = null;
    this.network.dispose();
  }

  /**
   * Sets the loss, the optimiser (default adam) and the metrics (default: by task or loss); a new
   * optimiser (fresh state) is created when next needed (fit, trainStep, `optimizer`). Throws a ConfigError for an unknown loss,
   * metric or optimiser, an invalid hyper-parameter or a Huber δ ≤ 0. Returns the model.
   *
   * @example
   * model.compile({ loss: 'cce', optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 }, metrics: ['accuracy'] });
   */
  compile(options: CompileOptions): this {
    const loss = resolveLoss(options.loss);
    const metrics = (options.metrics ?? defaultMetrics(loss, this.task)).map((m) => resolveMetric(m));
    const huberDelta = options.huberDelta ?? DEFAULT_HUBER_DELTA;
    check(
      Number.isFinite(huberDelta) && huberDelta > 0,
      ConfigError,
      () => `huber delta must be > 0, got ${huberDelta}`,
    );
    const optimizer = options.optimizer ?? 'adam';
    // Build it once over no parameters: an unknown name or a bad hyper-parameter fails here, not at fit.
    createOptimizer(optimizer, []);
    this.compiled = { loss, metrics, huberDelta, optimizer };
    this.trainer = null;
    return this;
  }

  /** The compiled loss, by its canonical name (throws a ConfigError when the model is not compiled). */
  get loss(): LossName {
    return this.requireCompiled().loss;
  }

  /** The compiled metrics (throws a ConfigError when the model is not compiled). */
  get metrics(): MetricName[] {
    return this.requireCompiled().metrics;
  }

  /** δ of the Huber loss. */
  get huberDelta(): number {
    return this.requireCompiled().huberDelta;
  }

  /** The optimiser (created on first use; keeps its state across fit calls). */
  get optimizer(): Optimizer {
    return this.getTrainer().optimizer;
  }

  /** The trainable parameters W^[l], b^[l] as `layers.{i}.weight`, `layers.{i}.bias` (see Network.parameters). */
  parameters(): Parameter[] {
    return this.network.parameters();
  }

  /** The layers with their output shapes and parameter counts (see Network.summary). */
  summary(): NetworkSummary {
    return this.network.summary();
  }

  /**
   * Trains on x [m, …] (flattened to [m, features]) and targets y [m, outputs], or on a
   * BatchSource holding both (then y is null). Returns the per-epoch history and why training
   * stopped. Throws a ShapeError when x's features or y's outputs do not match the network, a
   * DataError for NaN/Infinity in x or y or a missing y, a ConfigError when not compiled.
   *
   * @example
   * const { history, stopReason } = model.fit(x, y, { epochs: 50, batchSize: 32, validationSplit: 0.1, seed: 1 });
   * history.at(-1)?.val_loss;
   */
  fit(x: Tensor | BatchSource, y: Tensor | null = null, options: FitOptions = {}): FitResult {
    return this.start(x, y, options).drain();
  }

  /**
   * The run fit() would do, as an iterator that trains one batch per next() (see TrainingRun):
   * for callers that stop between batches or snapshot between epochs.
   */
  start(x: Tensor | BatchSource, y: Tensor | null = null, options: FitOptions = {}): TrainingRun {
    const trainer = this.getTrainer();
    if (x instanceof Tensor) {
      check(y !== null, DataError, () => `fit: targets y are required with a tensor x`);
      const validationData = options.validationData;
      return trainer.start(this.prepareData(x, y, 'fit'), null, {
        ...options,
        validationData: Array.isArray(validationData)
          ? this.prepareData(validationData[0], validationData[1], 'validation data')
          : validationData,
      });
    }
    return trainer.start(x, null, options);
  }

  /**
   * Loss and metrics on x [m, …], y [m, outputs] (or a BatchSource) in inference mode (no dropout),
   * keyed by name: `{ loss, accuracy, ... }`. Throws as fit does for bad shapes or values.
   */
  evaluate(
    x: Tensor | BatchSource,
    y: Tensor | null = null,
    options: { batchSize?: number } = {},
  ): Record<string, number> {
    if (x instanceof Tensor)
      check(
        y !== null,
        ConfigError,
        () => `evaluate: a Tensor x needs its targets y (got none); pass y, or a BatchSource that holds both`,
      );
    const source = x instanceof Tensor ? this.prepareData(x, y!, 'evaluate') : x;
    return this.getTrainer().evaluate(source, options.batchSize ?? 256);
  }

  /**
   * Network outputs ŷ = A^[L] for x [m, …]: class probabilities, label probabilities or values
   * ([m, outputs], a copy). With a `targetScaler` the outputs are standardised targets: predict
   * does not undo the scaling. Throws a ShapeError when x's features do not match, a DataError for
   * NaN/Infinity in x.
   *
   * @example
   * model.predict(Tensor.from([[0, 1]])).to2D(); // [[ŷ]], one row per example
   */
  predict(x: Tensor, options: { batchSize?: number } = {}): Tensor {
    const flat = x.rank > 2 ? x.flatten() : x;
    expect2D(flat, 'predict', this.network.inputFeatures);
    const batch = options.batchSize ?? 1024;
    check(
      Number.isInteger(batch) && batch >= 1,
      ConfigError,
      () => `predict: batchSize must be a positive integer, got ${batch}`,
    );
    const [m, f] = flat.shape as [number, number];
    const outputs = this.network.outputFeatures;
    const out = Tensor.zeros([m, outputs], this.network.dtype);
    const backend = this.network.backend;
    this.predictInput ??= new MatrixBuffer(f, this.network.dtype, backend);
    for (let start = 0; start < m; start += batch) {
      const count = Math.min(batch, m - start);
      // One copy of each batch into the backend's memory (cast to the model's dtype on the way),
      // where the finiteness check, the scaling and the first product read it in place.
      const xb = this.predictInput.view(count);
      xb.data.set(flat.data.subarray(start * f, (start + count) * f));
      const bad = backend.firstNonFinite(xb.data, count * f);
      if (bad >= 0) {
        const i = start * f + bad;
        throw new DataError(
          `predict: input: ${flat.data[i]} at row ${Math.floor(i / f)}, column ${i % f}; the data must be finite numbers`,
        );
      }
      this.scaler?.transformInPlace(xb.data, count);
      const y = this.network.forward(xb, { training: false });
      out.data.set(y.data, start * outputs);
    }
    return out;
  }

  /** The most probable class index of each example (argmax; threshold 0.5 with one output). */
  predictClasses(x: Tensor): number[] {
    const p = this.predict(x);
    const [m, n] = p.shape as [number, number];
    const out: number[] = [];
    for (let r = 0; r < m; r++) out.push(n === 1 ? (p.data[r]! >= 0.5 ? 1 : 0) : argmaxRow(p.data, r, n));
    return out;
  }

  /** The predicted labels (classification), from `labels`. */
  predictLabels(x: Tensor): Label[] {
    const labels = this.labels;
    check(labels !== null, ConfigError, () => `predictLabels: the model has no class labels`);
    return this.predictClasses(x).map((k) => labels[k]!);
  }

  /** One gradient step on a batch (low-level API): forward, backward, optimiser step. Returns the loss. */
  trainStep(x: Tensor, y: Tensor, rng?: Rng): number {
    const source = this.prepareData(x, y, 'trainStep', true);
    return this.getTrainer().trainStep(source.x, source.y, rng);
  }

  /**
   * Forward and backward without an update: zeroes the gradients and leaves dJ/dθ in each
   * parameter's `grad`. Returns the loss.
   */
  computeGradients(x: Tensor, y: Tensor, rng?: Rng): number {
    const source = this.prepareData(x, y, 'computeGradients', true);
    return this.getTrainer().computeGradients(source.x, source.y, rng).loss;
  }

  /** The mean loss on a batch x, y at the current parameters (used by gradient checking). */
  computeLoss(x: Tensor, y: Tensor): number {
    const source = this.prepareData(x, y, 'computeLoss', true);
    return this.getTrainer().batchLoss(source.x, source.y);
  }

  /** A deep copy on another dtype/backend (e.g. float64 for gradient checks). */
  withContext(context: LayerContext): Sequential {
    const copy = new Sequential(this.network.withContext(context));
    copy.task = this.task;
    copy.labels = this.labels && [...this.labels];
    copy.featureNames = this.featureNames && [...this.featureNames];
    copy.targetNames = this.targetNames && [...this.targetNames];
    copy.scaler = this.scaler;
    copy.input = this.input;
    copy.targetScaler = this.targetScaler;
    copy.trainingConfig = { ...this.trainingConfig };
    if (this.compiled) copy.compile(this.compiled);
    return copy;
  }

  private requireCompiled(): NonNullable<Sequential['compiled']> {
    check(
      this.compiled !== null,
      ConfigError,
      () => `the model is not compiled: call compile({ loss, optimizer }) first`,
    );
    return this.compiled;
  }

  private getTrainer(): Trainer {
    if (this.trainer === null) {
      const c = this.requireCompiled();
      const optimizer = createOptimizer(c.optimizer, this.network.parameters(), { backend: this.network.backend });
      this.trainer = new Trainer(this.network, {
        loss: c.loss,
        optimizer,
        metrics: c.metrics,
        huberDelta: c.huberDelta,
        preprocess: (data, m) => this.scaler?.transformInPlace(data, m),
      });
    }
    return this.trainer;
  }

  /**
   * Flattens and validates x, y. fit and evaluate scale per batch in the trainer; the one-batch
   * calls (trainStep, computeGradients, computeLoss) ask for a scaled copy here instead.
   */
  private prepareData(x: Tensor, y: Tensor, what: string, scale = false): TensorSource {
    const flat = x.rank > 2 ? x.flatten() : x;
    expect2D(flat, `${what}: x`, this.network.inputFeatures);
    const y2 = y.rank === 1 ? y.reshape([y.shape[0]!, 1]) : y;
    expect2D(y2, `${what}: y`, this.network.outputFeatures);
    assertFinite(flat, `${what}: x`);
    assertFinite(y2, `${what}: y`);
    const cast = (t: Tensor): Tensor => (t.dtype === this.network.dtype ? t : t.astype(this.network.dtype));
    const xs = cast(flat);
    return new TensorSource(scale && this.scaler ? this.scaler.transform(xs) : xs, cast(y2));
  }
}

function defaultMetrics(loss: LossName, task: Task | null): MetricName[] {
  if (task) return taskDefaults(task).metrics;
  switch (loss) {
    case 'categorical_crossentropy':
      return ['accuracy'];
    case 'binary_crossentropy':
      return ['binary_accuracy'];
    default:
      return ['mse', 'mae', 'r2'];
  }
}
