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
export { BackpropError, ShapeError, ConfigError, DataError, FormatError, FileError } from './core/errors.js';
export { Tensor, type DType, type FloatArray, type NestedNumbers } from './core/tensor.js';
export { Rng, type RngState } from './core/random.js';
export { setWarningHandler, warn, type WarningHandler } from './core/warnings.js';

export type { Backend, ActivationName, AdamStep, DropoutMask, GemmOptions } from './backend/backend.js';
export { ACTIVATIONS } from './backend/backend.js';
export { ReferenceBackend, referenceBackend } from './backend/reference/reference.js';
export { WasmBackend, createWasmBackend, wasmSupport, WASM_BUILDS, type WasmBackendOptions, type WasmBuildName, type WasmSupport } from './backend/wasm/index.js';

export { Dense, type DenseOptions } from './nn/dense.js';
export { Activation, resolveActivation, DEFAULT_LEAKY_SLOPE } from './nn/activations.js';
export { Dropout } from './nn/dropout.js';
export { Network, type LayerSummary, type NetworkSummary } from './nn/network.js';
export type { BackwardOptions, ForwardOptions, Layer, LayerConfig, LayerContext, Parameter } from './nn/layer.js';
export { INIT_NAMES, initializeWeights, initScale, defaultInit, resolveInitName, DEFAULT_UNIFORM_EPSILON, type InitName, type InitSpec } from './nn/init.js';
export { LOSSES, lossValue, lossGradient, resolveLoss, isFused, DEFAULT_HUBER_DELTA, type LossName, type LossInput } from './nn/losses.js';

export { Optimizer, clipGradNorm, type BaseOptimizerOptions, type OptimizerStateDict } from './optim/optimizer.js';
export { SGD, Momentum, Nesterov, type SgdOptions } from './optim/sgd.js';
export { RMSProp, type RmsPropOptions } from './optim/rmsprop.js';
export { Adam, AdamW, type AdamOptions } from './optim/adam.js';
export { DEFAULT_LEARNING_RATES } from './optim/defaults.js';
export { OPTIMIZERS, createOptimizer, type OptimizerName, type OptimizerOptions, type OptimizerSpec } from './optim/factory.js';
export { SCHEDULES, learningRateAt, validateSchedule, type Schedule, type ScheduleName } from './optim/schedules.js';

export { Trainer, type FitOptions, type FitResult, type TrainerOptions } from './train/trainer.js';
export { EarlyStopping, type Callback, type CallbackStateDict, type EarlyStoppingOptions, type TrainingState } from './train/callbacks.js';
export { TrainingRun, TRAINING_SNAPSHOT_VERSION, type TrainingSnapshot, type TrainingStep } from './train/run.js';
export { METRICS, createMetric, argmaxRow, argmaxRows, resolveMetric, type MetricName, type MetricAccumulator } from './train/metrics.js';
export type { EpochLogs, History } from './train/history.js';

export { parseCsv, parseNumber, AUTO_DELIMITERS, type CsvTable, type CsvOptions } from './data/csv-parse.js';
export { StandardScaler, MinMaxScaler, scalerFromJSON, type Scaler, type ScalerConfig } from './data/scaler.js';
export { Welford } from './data/welford.js';
export { HashSplit, hashUnit, type SplitName } from './data/hash-split.js';
export { ShuffleBuffer } from './data/shuffle-buffer.js';
export { TensorSource, ByteImageSource, type BatchSource } from './data/source.js';
export { resizeImage } from './data/resize.js';
export { modelInputFromJSON, inputFeatures, type ModelInput, type ImageInput } from './data/model-input.js';

export { Sequential, TASKS, taskDefaults, resolveTask, type Task, type Label, type CompileOptions, type MlpOptions } from './model/sequential.js';

export { toTfjs, type TfjsArtifacts } from './io/tfjs/export.js';
export type { TfjsModelJson, KerasLayer, TfjsWeightSpec, TfjsBackpropMetadata } from './io/tfjs/format.js';

export { gradCheck, type GradCheckOptions, type GradCheckReport, type TensorCheck } from './check/gradcheck.js';

export { VERSION } from './version.js';
