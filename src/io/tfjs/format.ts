// The TensorFlow.js Layers model format (model.json + weights.bin): the JSON types shared by export and import.

/** A Keras layer entry of modelTopology.config.layers. */
export interface KerasLayer {
  class_name: string;
  config: Record<string, unknown> & { name?: string };
}

/** One weight of a weightsManifest group, stored in order in the group's files. */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

/** model.json of a tfjs Layers model. */
export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: string | null;
  modelTopology: {
    class_name: string;
    config: { name?: string; layers: KerasLayer[] } | KerasLayer[];
    keras_version?: string;
    backend?: string;
  };
  weightsManifest: { paths: string[]; weights: TfjsWeightSpec[] }[];
  userDefinedMetadata?: Record<string, unknown>;
}

/** What backprop stores under userDefinedMetadata.backprop. */
export interface TfjsBackpropMetadata {
  version: string;
  task: string | null;
  loss: string | null;
  labels: (string | number)[] | null;
  featureNames: string[] | null;
  targetNames: string[] | null;
  /** The scaler of the first (BatchNormalization) layer, exactly (the layer holds it in float32). */
  scaler: unknown;
}

export const TFJS_MODEL_FILE = 'model.json';
export const TFJS_WEIGHTS_FILE = 'weights.bin';
