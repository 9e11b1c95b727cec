/**
 * The public API, for browsers and Node: tensors, layers and networks, losses, initialisers,
 * optimisers and schedules, the training loop and callbacks, metrics, scalers and batch sources,
 * backends (reference and WebAssembly), TensorFlow.js export and gradient checking.
 *
 * @example
 * import { Sequential, Tensor } from 'backprop';
 * const x = Tensor.from([[0, 0], [0, 1], [1, 0], [1, 1]]);
 * const y = Tensor.from([[0], [1], [1], [0]]);
 * const model = Sequential.mlp({ inputs: 2, hidden: [4], outputs: 1, task: 'multilabel', activation: 'tanh', seed: 1 });
 * model.fit(x, y, { epochs: 500, batchSize: 'all' });
 *
 * @module backprop
 */
// The public API of backprop. The CLI and the web playground import only from here.

export type { ActivationName, AdamStep, Backend, DropoutMask, GemmOptions } from './backend/backend.js';
export { ACTIVATIONS } from './backend/backend.js';
export { ReferenceBackend, referenceBackend } from './backend/reference/reference.js';
export {
  createWasmBackend,
  WASM_BUILDS,
  WasmBackend,
  type WasmBackendOptions,
  type WasmBuildName,
  type WasmSupport,
  wasmSupport,
} from './backend/wasm/index.js';
export { type GradCheckOptions, type GradCheckReport, gradCheck, type TensorCheck } from './check/gradcheck.js';
export { BackpropError, ConfigError, DataError, FileError, FormatError, ShapeError } from './core/errors.js';
export { Rng, type RngState } from './core/random.js';
export { type DType, type FloatArray, type NestedNumbers, Tensor } from './core/tensor.js';
export { setWarningHandler, type WarningHandler, warn } from './core/warnings.js';
export { AUTO_DELIMITERS, type CsvOptions, type CsvTable, parseCsv, parseNumber } from './data/csv-parse.js';
export { HashSplit, hashUnit, type SplitName } from './data/hash-split.js';
export { type ImageInput, inputFeatures, type ModelInput, modelInputFromJSON } from './data/model-input.js';
export { resizeImage } from './data/resize.js';
export { MinMaxScaler, type Scaler, type ScalerConfig, StandardScaler, scalerFromJSON } from './data/scaler.js';
export { ShuffleBuffer } from './data/shuffle-buffer.js';
export { type BatchSource, ByteImageSource, TensorSource } from './data/source.js';
export { Welford } from './data/welford.js';
export { type TfjsArtifacts, toTfjs } from './io/tfjs/export.js';
export type { KerasLayer, TfjsBackpropMetadata, TfjsModelJson, TfjsWeightSpec } from './io/tfjs/format.js';
export {
  type CompileOptions,
  type Label,
  type MlpOptions,
  resolveTask,
  Sequential,
  TASKS,
  type Task,
  taskDefaults,
} from './model/sequential.js';
export { Activation, DEFAULT_LEAKY_SLOPE, resolveActivation } from './nn/activations.js';
export { Dense, type DenseOptions } from './nn/dense.js';
export { Dropout } from './nn/dropout.js';
export {
  DEFAULT_UNIFORM_EPSILON,
  defaultInit,
  INIT_NAMES,
  type InitName,
  type InitSpec,
  initializeWeights,
  initScale,
  resolveInitName,
} from './nn/init.js';
export type { BackwardOptions, ForwardOptions, Layer, LayerConfig, LayerContext, Parameter } from './nn/layer.js';
export {
  DEFAULT_HUBER_DELTA,
  isFused,
  LOSSES,
  type LossInput,
  type LossName,
  lossGradient,
  lossValue,
  resolveLoss,
} from './nn/losses.js';
export { type LayerSummary, Network, type NetworkSummary } from './nn/network.js';
export { Adam, type AdamOptions, AdamW } from './optim/adam.js';
export { DEFAULT_LEARNING_RATES } from './optim/defaults.js';
export {
  createOptimizer,
  OPTIMIZERS,
  type OptimizerName,
  type OptimizerOptions,
  type OptimizerSpec,
} from './optim/factory.js';
export { type BaseOptimizerOptions, clipGradNorm, Optimizer, type OptimizerStateDict } from './optim/optimizer.js';
export { RMSProp, type RmsPropOptions } from './optim/rmsprop.js';
export { learningRateAt, SCHEDULES, type Schedule, type ScheduleName, validateSchedule } from './optim/schedules.js';
export { Momentum, Nesterov, SGD, type SgdOptions } from './optim/sgd.js';
export {
  type Callback,
  type CallbackStateDict,
  EarlyStopping,
  type EarlyStoppingOptions,
  type TrainingState,
} from './train/callbacks.js';
export type { EpochLogs, History } from './train/history.js';
export {
  argmaxRow,
  argmaxRows,
  createMetric,
  METRICS,
  type MetricAccumulator,
  type MetricName,
  resolveMetric,
} from './train/metrics.js';
export { TRAINING_SNAPSHOT_VERSION, TrainingRun, type TrainingSnapshot, type TrainingStep } from './train/run.js';
export { type FitOptions, type FitResult, Trainer, type TrainerOptions } from './train/trainer.js';

export { VERSION } from './version.js';
