// A backprop model as a TensorFlow.js Layers model: Dense layers (kernels [in, out]), LeakyReLU and
// Activation layers, Dropout, with the scaler folded into the first Dense layer's weights.
import { ConfigError, check } from '../../core/errors.js';
import type { Scaler } from '../../data/scaler.js';
import type { Sequential } from '../../model/sequential.js';
import type { ActivationName } from '../../backend/backend.js';
import { VERSION } from '../../version.js';
import { TFJS_WEIGHTS_FILE, type KerasLayer, type TfjsBackpropMetadata, type TfjsModelJson, type TfjsWeightSpec } from './format.js';

/** A tfjs Layers model in memory: model.json's object and the bytes of weights.bin. */
export interface TfjsArtifacts {
  modelJson: TfjsModelJson;
  weights: Uint8Array;
}

/**
 * The TensorFlow.js Layers model of `model`, for `tf.loadLayersModel`: it takes the raw feature
 * columns (a scaler is folded into the first Dense layer: W' = W·diag(1/σ), b' = b − W'μ for a
 * standard scaler; W' = W·diag(1/range), b' = b − W'·min for min-max) and outputs what
 * `model.predict` returns.
 *
 * @example
 * const { modelJson, weights } = toTfjs(model); // write model.json and weights.bin side by side
 */
export function toTfjs(model: Sequential): TfjsArtifacts {
  const network = model.network;
  const layers: KerasLayer[] = [];
  const specs: TfjsWeightSpec[] = [];
  const chunks: Float32Array[] = [];
  let dense = 0, other = 0;
  let folded = model.scaler === null;
  const named = (prefix: string): string => `${prefix}_${prefix === 'dense' ? ++dense : ++other}`;

  network.layers.forEach((layer, index) => {
    const config = layer.config();
    switch (config.type) {
      case 'dense': {
        const name = named('dense');
        const [w, b] = layer.parameters();
        const inF = config.inFeatures, outF = config.outFeatures;
        let weight: Float64Array = Float64Array.from(w!.value.data), bias: Float64Array = Float64Array.from(b!.value.data);
        if (!folded) {
          ({ weight, bias } = foldScaler(model.scaler!, weight, bias, inF, outF));
          folded = true;
        }
        // Keras kernels are [in, out]: the transpose of backprop's [out, in].
        const kernel = new Float32Array(inF * outF);
        for (let o = 0; o < outF; o++) for (let i = 0; i < inF; i++) kernel[i * outF + o] = weight[o * inF + i]!;
        const leaky = config.activation === 'leaky_relu';
        layers.push({ class_name: 'Dense', config: { units: outF, activation: config.activation === 'leaky_relu' ? 'linear' : kerasActivation(config.activation), use_bias: true, name, trainable: true, dtype: 'float32' } });
        specs.push({ name: `${name}/kernel`, shape: [inF, outF], dtype: 'float32' }, { name: `${name}/bias`, shape: [outF], dtype: 'float32' });
        chunks.push(kernel, Float32Array.from(bias));
        if (leaky) layers.push(leakyRelu(named('leaky_re_lu'), config.slope));
        break;
      }
      case 'activation':
        check(folded, ConfigError, () => `toTfjs: the scaler cannot be folded into the first dense layer: layer ${index} (activation ${config.activation}) comes before it`);
        if (config.activation === 'leaky_relu') layers.push(leakyRelu(named('leaky_re_lu'), config.slope));
        else layers.push({ class_name: 'Activation', config: { activation: kerasActivation(config.activation), name: named('activation'), trainable: true } });
        break;
      case 'dropout':
        layers.push({ class_name: 'Dropout', config: { rate: config.rate, noise_shape: null, seed: null, name: named('dropout'), trainable: true } });
        break;
      default: {
        const unknown: never = config;
        throw new ConfigError(`toTfjs: layer ${index} has an unsupported type ${JSON.stringify((unknown as { type: string }).type)}`);
      }
    }
  });
  layers[0]!.config.batch_input_shape = [null, network.inputFeatures];

  let loss: string | null = null;
  try {
    loss = model.loss;
  } catch {
    // Not compiled: no loss to record.
  }
  const metadata: TfjsBackpropMetadata = {
    version: VERSION, task: model.task, loss, labels: model.labels, featureNames: model.featureNames, targetNames: model.targetNames,
    foldedScaler: model.scaler?.toJSON() ?? null,
  };
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const weights = new Uint8Array(total * 4);
  const view = new DataView(weights.buffer);
  let offset = 0;
  for (const c of chunks) for (const v of c) view.setFloat32((offset++) * 4, v, true);
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: `backprop ${VERSION}`,
      convertedBy: null,
      modelTopology: { class_name: 'Sequential', config: { name: 'backprop_mlp', layers }, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' },
      weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: specs }],
      userDefinedMetadata: { backprop: metadata },
    },
    weights,
  };
}

/** z = W((x − shift)·factor) + b = (W·diag(factor))x + (b − W·diag(factor)·shift), in float64. */
function foldScaler(scaler: Scaler, weight: Float64Array, bias: Float64Array, inF: number, outF: number): { weight: Float64Array; bias: Float64Array } {
  const c = scaler.toJSON();
  const shift = c.type === 'standard' ? c.mean : c.min;
  const factor = c.type === 'standard' ? c.scale.map((s) => 1 / s) : c.min.map((lo, j) => (c.max[j]! - lo > 0 ? 1 / (c.max[j]! - lo) : 0));
  const w = new Float64Array(weight.length), b = Float64Array.from(bias);
  for (let o = 0; o < outF; o++) {
    for (let i = 0; i < inF; i++) {
      w[o * inF + i] = weight[o * inF + i]! * factor[i]!;
      b[o]! -= w[o * inF + i]! * shift[i]!;
    }
  }
  return { weight: w, bias: b };
}

function leakyRelu(name: string, slope: number | undefined): KerasLayer {
  return { class_name: 'LeakyReLU', config: { alpha: slope ?? 0.01, name, trainable: true } };
}

function kerasActivation(a: Exclude<ActivationName, 'leaky_relu'>): string {
  switch (a) {
    case 'linear':
    case 'relu':
    case 'sigmoid':
    case 'tanh':
    case 'softmax':
      return a;
    default: {
      const unknown: never = a;
      throw new ConfigError(`toTfjs: activation '${String(unknown)}' has no Keras name`);
    }
  }
}
