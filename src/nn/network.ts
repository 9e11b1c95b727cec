// A stack of layers: forward and backward through all of them, and their parameters by name.
import type { Backend } from '../backend/backend.js';
import { referenceBackend } from '../backend/reference/reference.js';
import { ConfigError, check, ShapeError } from '../core/errors.js';
import type { Rng } from '../core/random.js';
import { type DType, expect2D, type Tensor } from '../core/tensor.js';
import { Activation } from './activations.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import type { BackwardOptions, Layer, LayerConfig, LayerContext, Parameter } from './layer.js';

/** One row of a network summary. */
export interface LayerSummary {
  /** Position in `Network.layers`, from 0. */
  index: number;
  /** `'dense'`, `'activation'` or `'dropout'`. */
  type: LayerConfig['type'];
  /** Input width. */
  inputs: number;
  /** Output width. */
  outputs: number;
  /** The activation's name, or `rate p` for dropout. */
  activation: string;
  /** Trainable values of the layer (out·in + out for a dense layer). */
  parameters: number;
  /** `[out, in]` weight shape for dense layers. */
  weightShape: number[] | null;
}

/** A network's layers with their widths and parameter counts (`Network.summary()`). */
export interface NetworkSummary {
  /** Input features n_x. */
  inputs: number;
  /** Output units n^[L]. */
  outputs: number;
  /** One row per layer. */
  layers: LayerSummary[];
  /** Trainable values of the whole network. */
  totalParameters: number;
}

/**
 * Layers applied in order: A⁰ = X, Aˡ = layerₗ(Aˡ⁻¹). Parameters are named `layers.{i}.weight`
 * and `layers.{i}.bias`, i counting the dense layers from 0 (the safetensors names).
 *
 * @example
 * const net = new Network([new Dense(2, 4, { activation: 'tanh' }), new Dense(4, 1, { activation: 'sigmoid' })]);
 * const yHat = net.forward(Tensor.from([[0, 1]]), { training: false }); // [1, 1]
 */
export class Network {
  /** The layers, in order (all on the network's dtype and backend). */
  readonly layers: readonly Layer[];
  /** Input width n_x: the first dense layer's inFeatures. */
  readonly inputFeatures: number;
  /** Output width n^[L]. */
  readonly outputFeatures: number;
  /** The dtype and backend every layer shares. */
  readonly context: LayerContext;
  private readonly named: Parameter[];

  /**
   * Stacks `layers` on `context` (default: the first dense layer's); layers on another dtype or
   * backend are copied onto it. Throws a ConfigError without a dense layer, a ShapeError when one
   * layer's output width does not fit the next layer's input.
   */
  constructor(layers: Layer[], context?: LayerContext) {
    check(layers.length > 0, ConfigError, () => `a network needs at least one layer`);
    const first = layers.find((l): l is Dense => l instanceof Dense);
    check(first !== undefined, ConfigError, () => `a network needs at least one dense layer (it sets the input width)`);
    this.context = context ?? first.context;
    // Every layer must share the network's dtype and backend; others are copied onto them.
    const ctx = this.context;
    this.layers = layers.map((l) =>
      l.context.dtype === ctx.dtype && l.context.backend === ctx.backend ? l : l.withContext(ctx),
    );
    let width = first.inFeatures;
    this.inputFeatures = width;
    this.layers.forEach((layer, i) => {
      try {
        width = layer.outputFeatures(width);
      } catch (e) {
        throw new ShapeError(`layer ${i} (${layer.type}): ${(e as Error).message}`);
      }
    });
    this.outputFeatures = width;
    this.named = [];
    let denseIndex = 0;
    for (const layer of this.layers) {
      const params = layer.parameters();
      if (params.length === 0) continue;
      for (const p of params)
        this.named.push({ name: `layers.${denseIndex}.${p.local}`, value: p.value, grad: p.grad });
      denseIndex++;
    }
  }

  /** The dtype of every buffer. */
  get dtype(): DType {
    return this.context.dtype;
  }

  /** The backend every layer runs on. */
  get backend(): Backend {
    return this.context.backend;
  }

  /** The dense layers in order (their index is the i of `layers.{i}`). */
  denseLayers(): Dense[] {
    return this.layers.filter((l): l is Dense => l instanceof Dense);
  }

  /** Gives every layer's buffers back to the backend; the network must not be used afterwards. */
  dispose(): void {
    for (const layer of this.layers) layer.dispose();
  }

  /** Runs the batch x [m, inputs] through every layer. The result is a layer-owned buffer. */
  forward(x: Tensor, options: { training: boolean; rng?: Rng } = { training: false }): Tensor {
    expect2D(x, 'network input', this.inputFeatures);
    let a = x;
    for (const layer of this.layers) a = layer.forward(a, options);
    return a;
  }

  /**
   * Back-propagates dL/d(output) (or dL/dz of the last activation when `fromPreActivation`) and
   * accumulates every parameter gradient. Returns dL/dx when `inputGradient` is true, else null
   * (the default: training never needs it, and skipping it saves the first layer's largest product).
   */
  backward(dOut: Tensor, options: BackwardOptions = {}): Tensor | null {
    let d: Tensor | null = dOut;
    let pre = options.fromPreActivation ?? false;
    for (let i = this.layers.length - 1; i >= 0 && d !== null; i--) {
      const layer = this.layers[i]!;
      d = layer.backward(d, {
        fromPreActivation: pre,
        inputGradient: i > 0 || (options.inputGradient ?? false),
        accumulate: options.accumulate,
      });
      // The pre-activation gradient only concerns the layer that applies the final activation.
      if (layer.finalActivation() !== null) pre = false;
    }
    return d;
  }

  /** The layer whose activation produces the output (the last one that has an activation). */
  outputLayer(): Layer {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      if (this.layers[i]!.finalActivation() !== null) return this.layers[i]!;
    }
    return this.layers[this.layers.length - 1]!;
  }

  /** W^[l] and b^[l] of every dense layer, named `layers.{i}.weight` / `layers.{i}.bias` (the same objects on every call). */
  parameters(): Parameter[] {
    return this.named;
  }

  /** Sets every gradient to zero (gradients accumulate across backward calls until then). */
  zeroGrad(): void {
    for (const p of this.named) p.grad.data.fill(0);
  }

  /** Total number of trainable values. */
  parameterCount(): number {
    return this.named.reduce((sum, p) => sum + p.value.size, 0);
  }

  /** A copy on another dtype/backend (e.g. float64 for gradient checking). */
  withContext(context: LayerContext): Network {
    return new Network(
      this.layers.map((l) => l.withContext(context)),
      context,
    );
  }

  /** Every layer's configuration, in order (model.json's `architecture.layers`). */
  config(): LayerConfig[] {
    return this.layers.map((l) => l.config());
  }

  /** Builds a network from its configuration (weights initialised by `rng`; without one each dense layer draws from a fresh `Rng(0)`). */
  static fromConfig(configs: readonly LayerConfig[], options: { rng?: Rng; context?: LayerContext } = {}): Network {
    const context = options.context ?? { dtype: 'float32', backend: referenceBackend };
    const layers = configs.map((c, i): Layer => {
      switch (c.type) {
        case 'dense':
          return new Dense(c.inFeatures, c.outFeatures, {
            activation: c.activation,
            slope: c.slope,
            init: c.init,
            rng: options.rng,
            context,
          });
        case 'activation':
          return new Activation(c.activation, { slope: c.slope }).withContext(context);
        case 'dropout':
          return new Dropout(c.rate).withContext(context);
        default: {
          const unknown: never = c;
          throw new ConfigError(`layer ${i}: unknown layer type '${(unknown as { type: string }).type}'`);
        }
      }
    });
    return new Network(layers, context);
  }

  /** The layers with their widths, activations and parameter counts. */
  summary(): NetworkSummary {
    let width = this.inputFeatures;
    const layers = this.layers.map((layer, index): LayerSummary => {
      const inputs = width;
      width = layer.outputFeatures(width);
      const params = layer.parameters().reduce((s, p) => s + p.value.size, 0);
      const c = layer.config();
      return {
        index,
        type: layer.type,
        inputs,
        outputs: width,
        activation: c.type === 'dropout' ? `rate ${c.rate}` : c.activation,
        parameters: params,
        weightShape: layer instanceof Dense ? [layer.outFeatures, layer.inFeatures] : null,
      };
    });
    return { inputs: this.inputFeatures, outputs: this.outputFeatures, layers, totalParameters: this.parameterCount() };
  }
}
