// A TensorFlow.js Layers model of Dense layers (with Dropout, Flatten, Activation, LeakyReLU,
// InputLayer, and BatchNormalization before the first Dense layer as the scaler) becomes a backprop
// model; anything else is refused naming the first other layer.
import type { ActivationName, Backend } from '../../backend/backend.js';
import { check, FormatError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import type { ScalerConfig } from '../../data/scaler.js';
import { type Label, resolveTask, type Sequential, type Task, taskDefaults } from '../../model/sequential.js';
import type { LayerConfig } from '../../nn/layer.js';
import { VERSION } from '../../version.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelJson, modelFromParts, WEIGHTS_FILE } from '../model-dir.js';
import { affineToInput, type InputOp } from '../onnx/input-ops.js';
import type { KerasLayer, TfjsBackpropMetadata, TfjsModelJson, TfjsWeightSpec } from './format.js';

/** How fromTfjs / loadTfjs build the model. */
export interface TfjsImportOptions {
  /** Names the model in error messages. */
  source?: string;
  /** Where the model's layers run (default: the reference backend). */
  backend?: Backend;
  /** The task, when the model's metadata does not say (default: from the output activation). */
  task?: Task;
}

const SUPPORTED =
  'backprop imports Sequential models of Dense layers (relu, sigmoid, tanh, softmax, linear) with Dropout, Flatten, Activation, LeakyReLU, InputLayer, and BatchNormalization before the first Dense layer';
/** tfjs's LeakyReLU default when a config omits alpha. */
const KERAS_LEAKY_ALPHA = 0.3;

/**
 * Reads a tfjs Layers model: `modelJson` is model.json's parsed object, `weights` the bytes of the
 * files of its weightsManifest, concatenated in manifest order.
 *
 * @example
 * const model = fromTfjs(JSON.parse(text), new Uint8Array(await fs.readFile('weights.bin')));
 */
export function fromTfjs(modelJson: unknown, weights: Uint8Array, options: TfjsImportOptions = {}): Sequential {
  const src = options.source ?? 'tfjs model';
  const json = modelJson as Partial<TfjsModelJson>;
  check(
    typeof json === 'object' && json !== null && typeof json.modelTopology === 'object' && json.modelTopology !== null,
    FormatError,
    () => `${src}: not a tfjs Layers model (no modelTopology)`,
  );
  const topo =
    (json.modelTopology as { model_config?: TfjsModelJson['modelTopology'] }).model_config ?? json.modelTopology;
  check(
    topo.class_name === 'Sequential',
    FormatError,
    () => `${src}: the model is a ${topo.class_name}, not a Sequential model; ${SUPPORTED}`,
  );
  const kerasLayers = Array.isArray(topo.config) ? topo.config : topo.config?.layers;
  check(
    Array.isArray(kerasLayers) && kerasLayers.length > 0,
    FormatError,
    () => `${src}: the Sequential model has no layers`,
  );

  const specs = weightSpecs(json, weights.length, src);
  const view = new DataView(weights.buffer, weights.byteOffset, weights.byteLength);
  const valuesOf = (name: string, shape: number[], layer: string): Float64Array => {
    const spec = specs.find((s) => s.spec.name === name || s.spec.name.endsWith(`/${name}`));
    check(
      spec !== undefined,
      FormatError,
      () => `${src}: layer '${layer}' has no weight '${name}' in the weights manifest`,
    );
    check(
      spec.spec.shape.length === shape.length && spec.spec.shape.every((d, k) => d === shape[k]),
      FormatError,
      () =>
        `${src}: weight '${name}' has shape [${spec.spec.shape.join(', ')}], layer '${layer}' needs [${shape.join(', ')}]`,
    );
    const out = new Float64Array(spec.count);
    for (let i = 0; i < spec.count; i++) out[i] = view.getFloat32(spec.offset + 4 * i, true);
    return out;
  };

  const layers: LayerConfig[] = [];
  const denseWeights: { weight: Float64Array; bias: Float64Array; inFeatures: number; outFeatures: number }[] = [];
  const inputOps: InputOp[] = [];
  let width: number | null = null;
  let inputs: number | null = null;
  let dense = 0;
  for (const [index, layer] of kerasLayers.entries()) {
    const c = (layer as KerasLayer).config ?? {};
    const name = String(c.name ?? `#${index}`);
    const label = `layer ${index} '${name}' (${(layer as KerasLayer).class_name})`;
    const refuse = (why: string): never => {
      throw new FormatError(`${src}: ${label} is not supported: ${why}. ${SUPPORTED}`);
    };
    const shape = (c.batch_input_shape ?? c.batchInputShape) as (number | null)[] | undefined;
    if (index === 0 && Array.isArray(shape)) {
      const dims = shape.slice(1);
      if (!dims.every((d) => typeof d === 'number' && d > 0))
        refuse(`input shape [${shape.join(', ')}] has unknown feature dimensions`);
      width = inputs = dims.reduce<number>((a, d) => a * d!, 1);
      if (
        dims.length > 1 &&
        !kerasLayers
          .slice(
            0,
            kerasLayers.findIndex((l) => (l as KerasLayer).class_name === 'Dense'),
          )
          .some((l) => (l as KerasLayer).class_name === 'Flatten')
      ) {
        refuse(`input shape [${shape.join(', ')}] is not flat and no Flatten precedes the first Dense layer`);
      }
    }
    switch ((layer as KerasLayer).class_name) {
      case 'InputLayer':
      case 'Flatten':
        break;
      case 'Dense': {
        const units = c.units;
        if (typeof units !== 'number' || !Number.isInteger(units) || units <= 0)
          refuse(`units ${JSON.stringify(units)}`);
        if (width === null) refuse('the input width is unknown (no batch_input_shape on the first layer)');
        const inF = width!,
          outF = units as number;
        const useBias = c.use_bias !== false;
        const kernel = valuesOf(`${name}/kernel`, [inF, outF], name);
        const weight = new Float64Array(inF * outF);
        for (let o = 0; o < outF; o++) for (let i = 0; i < inF; i++) weight[o * inF + i] = kernel[i * outF + o]!;
        denseWeights.push({
          weight,
          bias: useBias ? valuesOf(`${name}/bias`, [outF], name) : new Float64Array(outF),
          inFeatures: inF,
          outFeatures: outF,
        });
        layers.push({
          type: 'dense',
          inFeatures: inF,
          outFeatures: outF,
          activation: activationOf(c.activation, refuse),
        });
        dense++;
        width = outF;
        break;
      }
      case 'BatchNormalization': {
        if (dense > 0) refuse('batch normalisation after a Dense layer');
        if (width === null) refuse('the input width is unknown (no batch_input_shape on the first layer)');
        const axis = c.axis ?? -1;
        if (axis !== -1 && axis !== 1) refuse(`axis ${JSON.stringify(axis)} (only the feature axis)`);
        const n = width!;
        const ones = new Float64Array(n).fill(1);
        inputOps.push({
          kind: 'BatchNormalization',
          node: label,
          mean: valuesOf(`${name}/moving_mean`, [n], name),
          variance: valuesOf(`${name}/moving_variance`, [n], name),
          scale: c.scale === false ? ones : valuesOf(`${name}/gamma`, [n], name),
          bias: c.center === false ? new Float64Array(n) : valuesOf(`${name}/beta`, [n], name),
          epsilon: typeof c.epsilon === 'number' ? c.epsilon : 1e-3,
        });
        break;
      }
      case 'Dropout': {
        const rate = c.rate;
        if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) refuse(`rate ${JSON.stringify(rate)}`);
        if (dense === 0) refuse('dropout before the first Dense layer');
        layers.push({ type: 'dropout', rate: rate as number });
        break;
      }
      case 'Activation':
        if (dense === 0) refuse('an activation before the first Dense layer');
        layers.push({ type: 'activation', activation: activationOf(c.activation, refuse) });
        break;
      case 'LeakyReLU': {
        if (dense === 0) refuse('an activation before the first Dense layer');
        const alpha = typeof c.alpha === 'number' ? c.alpha : KERAS_LEAKY_ALPHA;
        const last = layers[layers.length - 1]!;
        // Dense(linear) + LeakyReLU is one backprop dense layer with a leaky_relu activation.
        if (last.type === 'dense' && last.activation === 'linear') {
          last.activation = 'leaky_relu';
          last.slope = alpha;
        } else {
          layers.push({ type: 'activation', activation: 'leaky_relu', slope: alpha });
        }
        break;
      }
      default:
        refuse('not an MLP layer');
    }
  }
  check(dense > 0, FormatError, () => `${src}: the model has no Dense layer`);

  const meta = (json.userDefinedMetadata?.backprop ?? null) as Partial<TfjsBackpropMetadata> | null;
  const scaler = affineToInput(inputOps, denseWeights[0]!, (meta?.scaler as ScalerConfig | undefined) ?? null, src);
  const tensors: Record<string, Tensor> = {};
  denseWeights.forEach((d, i) => {
    tensors[`layers.${i}.weight`] = new Tensor(Float32Array.from(d.weight), [d.outFeatures, d.inFeatures]);
    tensors[`layers.${i}.bias`] = new Tensor(Float32Array.from(d.bias), [d.outFeatures]);
  });
  const last = [...layers].reverse().find((l): l is Exclude<LayerConfig, { type: 'dropout' }> => l.type !== 'dropout')!;
  const taskText = options.task ?? meta?.task ?? null;
  const task: Task = taskText
    ? resolveTask(taskText)
    : last.activation === 'softmax'
      ? 'classification'
      : last.activation === 'sigmoid'
        ? 'multilabel'
        : 'regression';
  const model: ModelJson = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    library: { name: 'backprop', version: VERSION },
    architecture: { inputs: inputs!, outputs: width!, layers },
    task,
    loss: (meta?.loss as ModelJson['loss']) ?? taskDefaults(task).loss,
    metrics: null,
    labels: (meta?.labels as Label[] | undefined) ?? null,
    featureNames: meta?.featureNames ?? null,
    targetNames: meta?.targetNames ?? null,
    scaler,
    training: { importedFrom: { format: 'tfjs', generatedBy: json.generatedBy ?? null } },
    weights: WEIGHTS_FILE,
  };
  return modelFromParts(model, tensors, { source: src, backend: options.backend });
}

function activationOf(name: unknown, refuse: (why: string) => never): ActivationName {
  switch (name) {
    case undefined:
    case null:
    case 'linear':
      return 'linear';
    case 'relu':
    case 'sigmoid':
    case 'tanh':
    case 'softmax':
      return name;
    default:
      return refuse(`activation ${JSON.stringify(name)}`);
  }
}

/** Where each weight lies in the concatenated weight files (float32 only). */
function weightSpecs(
  json: Partial<TfjsModelJson>,
  bytes: number,
  src: string,
): { spec: TfjsWeightSpec; offset: number; count: number }[] {
  check(Array.isArray(json.weightsManifest), FormatError, () => `${src}: model.json has no weightsManifest`);
  const out: { spec: TfjsWeightSpec; offset: number; count: number }[] = [];
  let offset = 0;
  for (const group of json.weightsManifest) {
    for (const spec of group.weights ?? []) {
      check(
        spec.dtype === 'float32' || spec.dtype === undefined,
        FormatError,
        () => `${src}: weight '${spec.name}' has dtype ${spec.dtype} (only float32 is supported)`,
      );
      check(
        spec.quantization === undefined,
        FormatError,
        () => `${src}: weight '${spec.name}' is quantized (not supported; export without quantization)`,
      );
      const count = spec.shape.reduce((a, d) => a * d, 1);
      out.push({ spec, offset, count });
      offset += 4 * count;
    }
  }
  check(
    offset === bytes,
    FormatError,
    () => `${src}: the weights manifest needs ${offset} bytes, the weight files hold ${bytes}`,
  );
  return out;
}
