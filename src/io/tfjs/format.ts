// The TensorFlow.js Layers model format (model.json + weights.bin): the JSON types shared by export and import.

/** A Keras layer entry of modelTopology.config.layers. */
export interface KerasLayer {
  /** The Keras class: `Dense`, `Activation`, `Dropout`, `BatchNormalization`, `InputLayer`, ... */
  class_name: string;
  /** The layer's Keras configuration (`units`, `activation`, `use_bias`, ...). */
  config: Record<string, unknown> & {
    /** The layer's name, which prefixes its weights' names. */
    name?: string;
  };
}

/** One weight of a weightsManifest group, stored in order in the group's files. */
export interface TfjsWeightSpec {
  /** `<layer>/kernel`, `<layer>/bias`, ... */
  name: string;
  /** Dimensions (a Dense kernel is [in, out], the transpose of backprop's weight). */
  shape: number[];
  /** `float32` (the only dtype backprop reads and writes). */
  dtype: string;
  /** Quantisation parameters (quantised weights are refused on import). */
  quantization?: unknown;
}

/** model.json of a tfjs Layers model. */
export interface TfjsModelJson {
  /** `'layers-model'`. */
  format: 'layers-model';
  /** The producing library and version. */
  generatedBy: string;
  /** The converter, or null. */
  convertedBy: string | null;
  /** The Keras model: a Sequential's class name and its layers. */
  modelTopology: {
    /** `Sequential`. */
    class_name: string;
    /** The model's layers (newer Keras: with a name; older: the bare list). */
    config:
      | {
          /** The model's name. */
          name?: string;
          /** The layers, in order. */
          layers: KerasLayer[];
        }
      | KerasLayer[];
    /** The Keras version written by the producer. */
    keras_version?: string;
    /** The Keras backend written by the producer. */
    backend?: string;
  };
  /** Weight groups: each group's files and the weights stored in them, in order. */
  weightsManifest: {
    /** The group's files, relative to model.json (concatenated in order). */
    paths: string[];
    /** The weights stored one after the other in those files. */
    weights: TfjsWeightSpec[];
  }[];
  /** Free-form metadata; backprop's own under `backprop` (TfjsBackpropMetadata). */
  userDefinedMetadata?: Record<string, unknown>;
}

/** What backprop stores under userDefinedMetadata.backprop. */
export interface TfjsBackpropMetadata {
  /** The backprop VERSION that wrote it. */
  version: string;
  /** The model's task, or null. */
  task: string | null;
  /** The compiled loss, or null. */
  loss: string | null;
  /** Class labels, or null. */
  labels: (string | number)[] | null;
  /** Input feature names, or null. */
  featureNames: string[] | null;
  /** Target names, or null. */
  targetNames: string[] | null;
  /** The scaler of the first (BatchNormalization) layer, exactly (the layer holds it in float32). */
  scaler: unknown;
}

/** The model file saveTfjs writes and loadTfjs reads in its directory. */
export const TFJS_MODEL_FILE = 'model.json';
/** The weights file saveTfjs writes (the one group of the manifest). */
export const TFJS_WEIGHTS_FILE = 'weights.bin';
