// A saved model is a directory: model.json (architecture, task, labels, scaler, ...) + weights.safetensors.
import type { Backend } from '../backend/backend.js';
import { referenceBackend } from '../backend/reference/reference.js';
import { check, FormatError } from '../core/errors.js';
import { formatShape, type Tensor } from '../core/tensor.js';
import { inputFeatures, type ModelInput, modelInputFromJSON } from '../data/model-input.js';
import { type ScalerConfig, StandardScaler, scalerFromJSON } from '../data/scaler.js';
import { type Label, resolveTask, Sequential, type Task } from '../model/sequential.js';
import type { LayerConfig } from '../nn/layer.js';
import { type LossName, resolveLoss } from '../nn/losses.js';
import { Network } from '../nn/network.js';
import type { MetricName } from '../train/metrics.js';
import { VERSION } from '../version.js';
import { checkDenseShapes, checkFiniteWeights, checkModelJson, fromField } from './model-json.js';
import { MODEL_FILE, MODEL_FORMAT, MODEL_FORMAT_VERSION, WEIGHTS_FILE } from './model-names.js';
import { prepareModelOut, readModelFiles, writeModelFiles } from './model-store.js';
import type { OutOptions } from './out-path.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

export { MODEL_FILE, MODEL_FORMAT, MODEL_FORMAT_VERSION, WEIGHTS_FILE };

/** The contents of model.json. */
export interface ModelJson {
  /** `'backprop-model'`. */
  format: typeof MODEL_FORMAT;
  /** MODEL_FORMAT_VERSION. */
  formatVersion: number;
  /** The library that wrote the file. */
  library: {
    /** `'backprop'`. */
    name: 'backprop';
    /** Its VERSION. */
    version: string;
  };
  /** The network: input and output widths and every layer's configuration. */
  architecture: {
    /** n_x. */
    inputs: number;
    /** n^[L]. */
    outputs: number;
    /** Layer configurations, in order. */
    layers: LayerConfig[];
  };
  /** The task, or null. */
  task: Task | null;
  /** The compiled loss, or null for an uncompiled model. */
  loss: LossName | null;
  /** The compiled metrics, or null. */
  metrics: MetricName[] | null;
  /** δ of the Huber loss, when the loss is huber. */
  huberDelta?: number;
  /** Output unit k is labels[k] (classification, multilabel). */
  labels: Label[] | null;
  /** Input feature names (CSV headers), or null. */
  featureNames: string[] | null;
  /** Target column names, or null. */
  targetNames: string[] | null;
  /** The fitted input scaler, or null. */
  scaler: ScalerConfig | null;
  /** Image inputs: their shape, so predict converts image files the same way (absent for feature columns). */
  input?: ModelInput;
  /** Standardisation of regression targets (--standardize-targets): outputs are inverted with it. */
  targetScaler?: ScalerConfig;
  /** How the model was trained (free-form; the CLI records its resolved configuration). */
  training: Record<string, unknown>;
  /** `'weights.safetensors'`. */
  weights: typeof WEIGHTS_FILE;
  /** SHA-256 (hex) of weights.safetensors as saved: ties model.json to its weights across an interrupted save. */
  weightsSha256?: string;
}

/** The model.json object of a model. */
export function modelJson(model: Sequential): ModelJson {
  let loss: LossName | null = null,
    metrics: MetricName[] | null = null;
  try {
    loss = model.loss;
    metrics = model.metrics;
  } catch {
    // An uncompiled model has no loss yet; it is saved without one.
  }
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    library: { name: 'backprop', version: VERSION },
    architecture: {
      inputs: model.network.inputFeatures,
      outputs: model.network.outputFeatures,
      layers: model.network.config(),
    },
    task: model.task,
    loss,
    metrics,
    labels: model.labels,
    featureNames: model.featureNames,
    targetNames: model.targetNames,
    scaler: model.scaler ? model.scaler.toJSON() : null,
    ...(model.input ? { input: model.input } : {}),
    ...(model.targetScaler ? { targetScaler: model.targetScaler.toJSON() } : {}),
    training: model.trainingConfig,
    weights: WEIGHTS_FILE,
  };
}

/** Weights as float32 tensors named `layers.{i}.weight` [out, in] and `layers.{i}.bias` [out]. */
export function modelWeights(model: Sequential): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const p of model.parameters())
    out[p.name] = p.value.dtype === 'float32' ? p.value.clone() : p.value.astype('float32');
  return out;
}

/**
 * Saves `model` to the directory `dir` (model.json + weights.safetensors). `dir` must be new, empty
 * or a model directory, or any directory with `overwrite`; only those two files are ever replaced
 * there, and a crash at any point leaves the old model or the new one loadable (src/io/model-store.ts).
 *
 * @example
 * await saveModel(model, 'models/iris');
 */
export async function saveModel(model: Sequential, dir: string, options: OutOptions = {}): Promise<void> {
  const weights = encodeSafetensors(modelWeights(model), { format: 'pt' });
  await prepareModelOut(dir, options);
  await writeModelFiles(dir, modelJson(model), weights);
}

/**
 * Loads a model directory written by saveModel (or by hand/PyTorch with the same names and shapes),
 * its layers on `options.backend` (default the reference backend). Throws a FormatError for a missing
 * directory or file, a model.json that is not a backprop model of a supported version, or weights
 * whose names or shapes do not match the architecture; a FileError when the directory cannot be read.
 *
 * @example
 * const model = await loadModel('models/iris');
 * model.predictLabels(x); // ['setosa', …]
 */
export async function loadModel(dir: string, options: { backend?: Backend } = {}): Promise<Sequential> {
  const files = await readModelFiles(dir);
  let json: unknown;
  try {
    json = JSON.parse(files.json);
  } catch (e) {
    throw new FormatError(`${files.jsonPath}: not valid JSON (${(e as Error).message})`);
  }
  const { tensors } = decodeSafetensors(files.weights, files.weightsPath);
  return modelFromParts(json, tensors, { source: dir, backend: options.backend });
}

/** Builds a model from a parsed model.json and its named tensors, validating both. */
export function modelFromParts(
  json: unknown,
  tensors: Record<string, Tensor>,
  options: { source?: string; backend?: Backend } = {},
): Sequential {
  const src = options.source ?? 'model';
  const j = json as Partial<ModelJson>;
  check(
    typeof j === 'object' && j !== null && j.format === MODEL_FORMAT,
    FormatError,
    () => `${src}: ${MODEL_FILE} is not a backprop model (format is ${JSON.stringify(j?.format)})`,
  );
  check(
    j.formatVersion === MODEL_FORMAT_VERSION,
    FormatError,
    () =>
      `${src}: model format version ${j.formatVersion} is not supported (this is backprop ${VERSION}, format ${MODEL_FORMAT_VERSION})`,
  );
  checkModelJson(j, src, MODEL_FILE);
  const layers = j.architecture!.layers;
  checkDenseShapes(layers, tensors, src);
  const context = { dtype: 'float32' as const, backend: options.backend ?? referenceBackend };
  let network: Network;
  try {
    // The saved weights replace the initial ones below. A model initialised with zeros is rebuilt with
    // glorot_normal, so loading it does not repeat the symmetry warning of its first training.
    network = Network.fromConfig(
      layers.map((l) => (l.type === 'dense' && l.init === 'zeros' ? { ...l, init: 'glorot_normal' as const } : l)),
      { context },
    );
  } catch (e) {
    throw new FormatError(`${src}: invalid architecture: ${(e as Error).message}`);
  }
  const params = network.parameters();
  const expected = new Set(params.map((p) => p.name));
  for (const name of Object.keys(tensors))
    check(
      expected.has(name),
      FormatError,
      () => `${src}: weights file has an unexpected tensor '${name}' (expected ${[...expected].join(', ')})`,
    );
  for (const p of params) {
    const t = tensors[p.name];
    check(t !== undefined, FormatError, () => `${src}: weights file lacks tensor '${p.name}'`);
    check(
      t.shape.length === p.value.shape.length && t.shape.every((d, k) => d === p.value.shape[k]),
      FormatError,
      () =>
        `${src}: tensor '${p.name}' has shape ${formatShape(t.shape)}, the architecture needs ${formatShape(p.value.shape)}`,
    );
    checkFiniteWeights(p.name, t, src);
    p.value.data.set(t.data);
  }
  const model = new Sequential(network);
  model.task = j.task ? resolveTask(j.task) : null;
  model.labels = j.labels ?? null;
  model.featureNames = j.featureNames ?? null;
  model.targetNames = j.targetNames ?? null;
  model.scaler = j.scaler ? fromField(src, MODEL_FILE, 'scaler', () => scalerFromJSON(j.scaler!)) : null;
  model.trainingConfig = j.training ?? {};
  if (j.input !== undefined) model.input = modelInputFromJSON(j.input, src);
  if (model.input)
    check(
      inputFeatures(model.input) === network.inputFeatures,
      FormatError,
      () =>
        `${src}: input images of ${model.input!.height}×${model.input!.width}×${model.input!.channels} for a network of ${network.inputFeatures} inputs`,
    );
  if (j.targetScaler !== undefined) {
    const t = scalerFromJSON(j.targetScaler);
    check(
      t instanceof StandardScaler && t.features === network.outputFeatures,
      FormatError,
      () => `${src}: targetScaler must be a standard scaler of ${network.outputFeatures} outputs`,
    );
    model.targetScaler = t;
  }
  if (model.labels)
    check(
      Array.isArray(model.labels) && model.labels.length === network.outputFeatures,
      FormatError,
      () => `${src}: ${model.labels!.length} labels for ${network.outputFeatures} outputs`,
    );
  if (model.scaler)
    check(
      model.scaler.features === network.inputFeatures,
      FormatError,
      () => `${src}: the scaler has ${model.scaler!.features} features, the network ${network.inputFeatures} inputs`,
    );
  if (j.loss)
    fromField(src, MODEL_FILE, 'loss, metrics and huberDelta', () =>
      model.compile({ loss: resolveLoss(j.loss!), metrics: j.metrics ?? undefined, huberDelta: j.huberDelta }),
    );
  return model;
}
