// What every layer provides: forward, backward, its parameters and a serialisable configuration.
import type { ActivationName, Backend } from '../backend/backend.js';
import type { Rng } from '../core/random.js';
import type { DType, Tensor } from '../core/tensor.js';
import type { InitSpec } from './init.js';

/** A trainable tensor and its gradient (same shape). Gradients accumulate until zeroGrad(). */
export interface Parameter {
  /** `layers.{i}.weight` / `layers.{i}.bias`, i counting dense layers from 0. */
  name: string;
  /** The values, e.g. W^[l] [out, in] or b^[l] [out]; optimisers update them in place. */
  value: Tensor;
  /** dJ/d(value), the same shape; backward adds to it. */
  grad: Tensor;
}

/** How a layer runs: the dtype of its buffers, the kernels, and (for dropout) randomness. */
export interface LayerContext {
  /** float32 for training, float64 for gradient checks. */
  dtype: DType;
  /** The kernels that run the layer, and the memory its buffers live in. */
  backend: Backend;
}

/** How `Layer.backward` / `Network.backward` run. */
export interface BackwardOptions {
  /** `dOut` is already dL/dz of the layer's final activation (the fused softmax/sigmoid + cross-entropy gradient). */
  fromPreActivation?: boolean;
  /** Compute dL/d(input) (default true); the first layer of a network skips it, saving a third of its work. */
  inputGradient?: boolean;
  /**
   * Add this batch's parameter gradients to `grad` (default true, until zeroGrad()), or overwrite
   * them: the same as zeroGrad() then backward, without a pass over the gradient memory.
   */
  accumulate?: boolean;
}

/** How `Layer.forward` runs. */
export interface ForwardOptions {
  /** Training mode turns dropout on and keeps what backward needs. */
  training: boolean;
  /** Draws dropout masks in training mode (a dropout layer without one throws a ConfigError). */
  rng?: Rng;
}

/** Serialisable description of a layer (model.json's `architecture.layers`). */
export type LayerConfig =
  | {
      /** A Dense layer. */
      type: 'dense';
      /** n^[l−1]. */
      inFeatures: number;
      /** n^[l]. */
      outFeatures: number;
      /** g^[l]. */
      activation: ActivationName;
      /** Negative slope of leaky_relu. */
      slope?: number;
      /** The initialiser the weights were drawn with. */
      init?: InitSpec;
    }
  | {
      /** A stand-alone Activation layer. */
      type: 'activation';
      /** g. */
      activation: ActivationName;
      /** Negative slope of leaky_relu. */
      slope?: number;
    }
  | {
      /** A Dropout layer. */
      type: 'dropout';
      /** Drop probability p in [0, 1). */
      rate: number;
    };

/**
 * What every layer provides: forward and backward over a batch of m rows, its parameters and a
 * serialisable configuration. Implemented by Dense, Activation and Dropout.
 */
export interface Layer {
  /** `'dense'`, `'activation'` or `'dropout'`. */
  readonly type: LayerConfig['type'];
  /** The dtype and backend of this layer's buffers. */
  readonly context: LayerContext;
  /** Output width for an input of `inFeatures` features (throws on a mismatch). */
  outputFeatures(inFeatures: number): number;
  /**
   * Forward pass over a batch [m, inFeatures]. The returned tensor is owned by the layer and is
   * valid until its next forward call (buffers are reused; copy it to keep it).
   */
  forward(x: Tensor, options: ForwardOptions): Tensor;
  /**
   * Backward pass: takes dL/d(output), adds this batch's parameter gradients to `grad` and returns
   * dL/d(input) (a layer-owned buffer), or null when `inputGradient` is false.
   */
  backward(dOut: Tensor, options?: BackwardOptions): Tensor | null;
  /** Parameters with local names (`weight`, `bias`); the network prefixes `layers.{i}.`. */
  parameters(): {
    /** `weight` or `bias`. */
    local: 'weight' | 'bias';
    /** The parameter's values. */
    value: Tensor;
    /** Its gradient, the same shape. */
    grad: Tensor;
  }[];
  /** The activation g this layer applies last, if any (dense layers always apply one; linear is identity). */
  finalActivation(): ActivationName | null;
  /** The pre-activation z of the last training-mode forward pass (null before one). */
  lastPreActivation(): Tensor | null;
  /** Moves the layer to another dtype/backend (copies parameters). */
  withContext(context: LayerContext): Layer;
  /** The layer's description as saved in model.json (no weights). */
  config(): LayerConfig;
  /** Gives the layer's buffers back to its backend; the layer must not be used afterwards. */
  dispose(): void;
}
