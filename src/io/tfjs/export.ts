// A backprop model as a TensorFlow.js Layers model: Dense layers (kernels [in, out]), LeakyReLU and
// Activation layers, Dropout, and the scaler as a first BatchNormalization layer (inference only).

import type { ActivationName } from '../../backend/backend.js';
import { ConfigError } from '../../core/errors.js';
import type { Scaler } from '../../data/scaler.js';
import type { Sequential } from '../../model/sequential.js';
import { VERSION } from '../../version.js';
import {
  type KerasLayer,
  TFJS_WEIGHTS_FILE,
  type TfjsBackpropMetadata,
  type TfjsModelJson,
  type TfjsWeightSpec,
} from './format.js';

/** A tfjs Layers model in memory: model.json's object and the bytes of weights.bin. */
/** A TensorFlow.js Layers model as toTfjs returns it. */
export interface TfjsArtifacts {
  /** model.json's object (topology and weights manifest). */
  modelJson: TfjsModelJson;
  /** The weights file's bytes (weights.bin), float32 in manifest order. */
  weights: Uint8Array;
}

/**
 * The TensorFlow.js Layers model of `model`, for `tf.loadLayersModel`: it takes the raw feature
 * columns and outputs what `model.predict` returns. A scaler becomes a first BatchNormalization
 * layer without scale and offset, which at inference computes (x − moving_mean)/√moving_variance:
 * moving_mean = μ and moving_variance = σ² (standard), or min and range² (min-max; an infinite
 * variance for a constant column, which maps it to 0 as backprop does). Folding the scaler into the
 * first Dense layer instead would cancel large terms (b − W·μ/σ) and lose float32 digits.
 *
 * @example
 * const { modelJson, weights } = toTfjs(model); // write model.json and weights.bin side by side
 */
export function toTfjs(model: Sequential): TfjsArtifacts {
  const network = model.network;
  const layers: KerasLayer[] = [];
  const specs: TfjsWeightSpec[] = [];
  const chunks: Float32Array[] = [];
  let dense = 0,
    other = 0;
  const named = (prefix: string): string => `${prefix}_${prefix === 'dense' ? ++dense : ++other}`;

  network.layers.forEach((layer, index) => {
    const config = layer.config();
    switch (config.type) {
      case 'dense': {
        const name = named('dense');
        const [w, b] = layer.parameters();
        const inF = config.inFeatures,
          outF = config.outFeatures;
        const weight = w!.value.data;
        // Keras kernels are [in, out]: the transpose of backprop's [out, in].
        const kernel = new Float32Array(inF * outF);
        for (let o = 0; o < outF; o++) for (let i = 0; i < inF; i++) kernel[i * outF + o] = weight[o * inF + i]!;
        const leaky = config.activation === 'leaky_relu';
        layers.push({
          class_name: 'Dense',
          config: {
            units: outF,
            activation: config.activation === 'leaky_relu' ? 'linear' : kerasActivation(config.activation),
            use_bias: true,
            name,
            trainable: true,
            dtype: 'float32',
          },
        });
        specs.push(
          { name: `${name}/kernel`, shape: [inF, outF], dtype: 'float32' },
          { name: `${name}/bias`, shape: [outF], dtype: 'float32' },
        );
        chunks.push(kernel, Float32Array.from(b!.value.data));
        if (leaky) layers.push(leakyRelu(named('leaky_re_lu'), config.slope));
        break;
      }
      case 'activation':
        if (config.activation === 'leaky_relu') layers.push(leakyRelu(named('leaky_re_lu'), config.slope));
        else
          layers.push({
            class_name: 'Activation',
            config: { activation: kerasActivation(config.activation), name: named('activation'), trainable: true },
          });
        break;
      case 'dropout':
        layers.push({
          class_name: 'Dropout',
          config: { rate: config.rate, noise_shape: null, seed: null, name: named('dropout'), trainable: true },
        });
        break;
      default: {
        const unknown: never = config;
        throw new ConfigError(
          `toTfjs: layer ${index} has an unsupported type ${JSON.stringify((unknown as { type: string }).type)}`,
        );
      }
    }
  });
  if (model.scaler) {
    const { layer, mean, variance } = scalerLayer(model.scaler);
    layers.unshift(layer);
    specs.unshift(
      { name: `${SCALER_LAYER}/moving_mean`, shape: [mean.length], dtype: 'float32' },
      { name: `${SCALER_LAYER}/moving_variance`, shape: [mean.length], dtype: 'float32' },
    );
    chunks.unshift(mean, variance);
  }
  layers[0]!.config.batch_input_shape = [null, network.inputFeatures];

  let loss: string | null = null;
  try {
    loss = model.loss;
  } catch {
    // Not compiled: no loss to record.
  }
  const metadata: TfjsBackpropMetadata = {
    version: VERSION,
    task: model.task,
    loss,
    labels: model.labels,
    featureNames: model.featureNames,
    targetNames: model.targetNames,
    scaler: model.scaler?.toJSON() ?? null,
  };
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const weights = new Uint8Array(total * 4);
  const view = new DataView(weights.buffer);
  let offset = 0;
  for (const c of chunks) for (const v of c) view.setFloat32(offset++ * 4, v, true);
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: `backprop ${VERSION}`,
      convertedBy: null,
      modelTopology: {
        class_name: 'Sequential',
        config: { name: 'backprop_mlp', layers },
        keras_version: 'tfjs-layers 4.22.0',
        backend: 'tensor_flow.js',
      },
      weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: specs }],
      userDefinedMetadata: { backprop: metadata },
    },
    weights,
  };
}

/** The name of the BatchNormalization layer that holds the scaler. */
export const SCALER_LAYER = 'scaler';

function scalerLayer(scaler: Scaler): { layer: KerasLayer; mean: Float32Array; variance: Float32Array } {
  const c = scaler.toJSON();
  const mean = Float32Array.from(c.type === 'standard' ? c.mean : c.min);
  const variance = Float32Array.from(
    c.type === 'standard'
      ? c.scale.map((s) => s * s)
      : c.min.map((lo, j) => (c.max[j]! - lo > 0 ? (c.max[j]! - lo) ** 2 : Infinity)),
  );
  const layer: KerasLayer = {
    class_name: 'BatchNormalization',
    config: {
      axis: -1,
      momentum: 0.99,
      epsilon: 0,
      center: false,
      scale: false,
      name: SCALER_LAYER,
      trainable: false,
      dtype: 'float32',
    },
  };
  return { layer, mean, variance };
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
