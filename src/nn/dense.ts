// The dense (fully connected) layer: z = W a + b, then a = g(z), with its backward pass beside it.
import type { ActivationName } from '../backend/backend.js';
import { referenceBackend } from '../backend/reference/reference.js';
import { check, ShapeError } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { expect2D, expectPositiveInt, formatShape, type Tensor } from '../core/tensor.js';
import { checkSlope, DEFAULT_LEAKY_SLOPE, resolveActivation } from './activations.js';
import { allocParam, freeArray, MatrixBuffer } from './buffers.js';
import { defaultInit, type InitSpec, initializeWeights } from './init.js';
import type { BackwardOptions, ForwardOptions, Layer, LayerConfig, LayerContext } from './layer.js';

/** How a Dense layer is built: activation, initialiser, generator, context or given weights. */
export interface DenseOptions {
  /** g applied to z (default `linear`, the identity). */
  activation?: ActivationName | 'identity';
  /** Negative slope of leaky_relu (default 0.01, as PyTorch). */
  slope?: number;
  /** Weight initialiser (default: He for relu/leaky_relu, Glorot normal otherwise). */
  init?: InitSpec;
  /**
   * Generator for the initial weights. Without one the layer draws from a fresh `Rng(0)`, so two
   * layers built without a generator start with the same weights: pass one generator to every layer
   * (as `Sequential.mlp` and `Network.fromConfig` do) to break the symmetry between layers too.
   */
  rng?: Rng;
  /** Where the parameters live (default float32 on the reference backend). */
  context?: LayerContext;
  /** Start from these values (W row-major [out, in], b [out]) instead of initialising. */
  weights?: {
    /** W^[l], out·in values, row-major [out, in]. */
    weight: ArrayLike<number>;
    /** b^[l], out values. */
    bias: ArrayLike<number>;
  };
}

/**
 * A fully connected layer with `outFeatures` neurons over `inFeatures` inputs.
 * Examples are rows: for a batch A [m, in], Z = A·Wᵀ + b and the output is g(Z) [m, out]; this is
 * the notes' Z = W A + b with the batch stored as columns (the same memory, transposed view).
 * W has shape [out, in] (PyTorch's nn.Linear), b has shape [out] and is broadcast over the m rows.
 *
 * Initial weights come from `options.rng`. Without one (and without `weights`) the layer seeds its
 * own `new Rng(0)`, silently: the result is reproducible, but every layer of the same shape built
 * that way starts from the same weights. Pass one generator to all the layers of a network.
 *
 * @example
 * const layer = new Dense(3, 2, { activation: 'relu', rng: new Rng(1) });
 * layer.forward(Tensor.from([[1, 2, 3]]), { training: false }).shape; // [1, 2]
 */
export class Dense implements Layer {
  /** `'dense'`. */
  readonly type = 'dense' as const;
  /** Input width n^[l−1]. */
  readonly inFeatures: number;
  /** Output width n^[l] (the number of neurons). */
  readonly outFeatures: number;
  /** g^[l], applied to z. */
  readonly activation: ActivationName;
  /** Negative slope of leaky_relu (unused by other activations). */
  readonly slope: number;
  /** The initialiser the weights were drawn with (kept in the layer's config). */
  readonly init: InitSpec;
  /** W^[l], shape [out, in]. */
  readonly weight: Tensor;
  /** b^[l], shape [out]. */
  readonly bias: Tensor;
  /** dW^[l] = dJ/dW, shape [out, in]; accumulates until zeroed. */
  readonly weightGrad: Tensor;
  /** db^[l] = dJ/db, shape [out]; accumulates until zeroed. */
  readonly biasGrad: Tensor;
  readonly context: LayerContext;
  private readonly zBuf: MatrixBuffer;
  private readonly aBuf: MatrixBuffer;
  private readonly dzBuf: MatrixBuffer;
  private readonly dxBuf: MatrixBuffer;
  // Cached by a training-mode forward for backward: the input, z and a.
  private lastX: Tensor | null = null;
  private lastZ: Tensor | null = null;
  private lastA: Tensor | null = null;

  /**
   * A layer of `outFeatures` neurons over `inFeatures` inputs, its weights drawn by the initialiser
   * (bias zero) or copied from `options.weights`. Throws a ConfigError for a non-positive width, an
   * unknown activation or initialiser, or a negative slope; a ShapeError when given weights have the
   * wrong number of values.
   */
  constructor(inFeatures: number, outFeatures: number, options: DenseOptions = {}) {
    expectPositiveInt(inFeatures, 'Dense: inFeatures');
    expectPositiveInt(outFeatures, 'Dense: outFeatures');
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.activation = resolveActivation(options.activation ?? 'linear');
    this.slope = options.slope ?? DEFAULT_LEAKY_SLOPE;
    checkSlope(this.slope);
    this.init = options.init ?? defaultInit(this.activation);
    this.context = options.context ?? { dtype: 'float32', backend: referenceBackend };
    const { dtype, backend } = this.context;
    this.weight = allocParam([outFeatures, inFeatures], dtype, backend);
    this.bias = allocParam([outFeatures], dtype, backend);
    this.weightGrad = allocParam([outFeatures, inFeatures], dtype, backend);
    this.biasGrad = allocParam([outFeatures], dtype, backend);
    if (options.weights) {
      const { weight, bias } = options.weights;
      check(
        weight.length === outFeatures * inFeatures && bias.length === outFeatures,
        ShapeError,
        () =>
          `Dense: given weights have ${weight.length} and ${bias.length} values, a [${outFeatures}, ${inFeatures}] layer needs ${outFeatures * inFeatures} and ${outFeatures}`,
      );
      this.weight.data.set(weight);
      this.bias.data.set(bias);
    } else {
      initializeWeights(this.weight.data, inFeatures, outFeatures, this.init, options.rng ?? new Rng(0));
    }
    this.zBuf = new MatrixBuffer(outFeatures, dtype, backend);
    this.aBuf = new MatrixBuffer(outFeatures, dtype, backend);
    this.dzBuf = new MatrixBuffer(outFeatures, dtype, backend);
    this.dxBuf = new MatrixBuffer(inFeatures, dtype, backend);
  }

  dispose(): void {
    for (const t of [this.weight, this.bias, this.weightGrad, this.biasGrad]) freeArray(t.data);
    for (const b of [this.zBuf, this.aBuf, this.dzBuf, this.dxBuf]) b.dispose();
    this.lastX = this.lastZ = this.lastA = null;
  }

  outputFeatures(inFeatures: number): number {
    check(
      inFeatures === this.inFeatures,
      ShapeError,
      () => `dense layer: input has ${inFeatures} features, the layer expects ${this.inFeatures}`,
    );
    return this.outFeatures;
  }

  /** Z = A·Wᵀ + b, A_out = g(Z). */
  forward(x: Tensor, options: ForwardOptions): Tensor {
    expect2D(x, 'dense layer', this.inFeatures);
    check(
      x.dtype === this.context.dtype,
      ShapeError,
      () => `dense layer: input is ${x.dtype}, the layer's parameters are ${this.context.dtype}`,
    );
    const m = x.shape[0]!;
    const n = this.outFeatures;
    const z = this.zBuf.view(m);
    const elementwise = this.activation !== 'softmax';
    // For elementwise g at inference, a can overwrite z in place: one buffer less to touch.
    const a = options.training || !elementwise ? this.aBuf.view(m) : z;
    const { backend } = this.context;
    backend.gemm(x.data, this.weight.data, z.data, { m, n, k: this.inFeatures, transB: true });
    backend.biasActivation(z.data, this.bias.data, a.data, m, n, this.activation, this.slope);
    if (options.training) {
      this.lastX = x;
      this.lastZ = z;
      this.lastA = a;
    } else {
      this.lastX = this.lastZ = this.lastA = null;
    }
    return a;
  }

  /**
   * Given dA = dL/dA_out: dZ = dA ⊙ g′(Z); dW += dZᵀ·A_in; db += Σ_rows dZ; returns dA_in = dZ·W.
   */
  backward(dOut: Tensor, options: BackwardOptions = {}): Tensor | null {
    const x = this.lastX,
      z = this.lastZ,
      a = this.lastA;
    check(
      x !== null && z !== null && a !== null,
      ShapeError,
      () => `dense layer: backward called without a training-mode forward pass`,
    );
    const m = x.shape[0]!;
    const n = this.outFeatures;
    check(
      dOut.rank === 2 && dOut.shape[0] === m && dOut.shape[1] === n,
      ShapeError,
      () => `dense layer: gradient of shape ${formatShape(dOut.shape)} does not match the output [${m}, ${n}]`,
    );
    const { backend } = this.context;
    let dz: Tensor;
    if (options.fromPreActivation || this.activation === 'linear') {
      dz = dOut;
    } else {
      dz = this.dzBuf.view(m);
      backend.activationBackward(z.data, a.data, dOut.data, dz.data, m, n, this.activation, this.slope);
    }
    const accumulate = options.accumulate ?? true;
    backend.gemm(dz.data, x.data, this.weightGrad.data, { m: n, n: this.inFeatures, k: m, transA: true, accumulate });
    backend.sumRows(dz.data, this.biasGrad.data, m, n, accumulate);
    if (options.inputGradient === false) return null;
    const dx = this.dxBuf.view(m);
    backend.gemm(dz.data, this.weight.data, dx.data, { m, n: this.inFeatures, k: n });
    return dx;
  }

  parameters(): {
    /** `weight` or `bias`. */
    local: 'weight' | 'bias';
    /** W [out, in] or b [out]. */
    value: Tensor;
    /** Its gradient, the same shape. */
    grad: Tensor;
  }[] {
    return [
      { local: 'weight', value: this.weight, grad: this.weightGrad },
      { local: 'bias', value: this.bias, grad: this.biasGrad },
    ];
  }

  finalActivation(): ActivationName {
    return this.activation;
  }

  lastPreActivation(): Tensor | null {
    return this.lastZ;
  }

  withContext(context: LayerContext): Dense {
    return new Dense(this.inFeatures, this.outFeatures, {
      activation: this.activation,
      slope: this.slope,
      init: this.init,
      context,
      weights: { weight: this.weight.data, bias: this.bias.data },
    });
  }

  /** `{ type: 'dense', inFeatures, outFeatures, activation, slope, init }` (slope only for leaky_relu). */
  config(): LayerConfig {
    const c: LayerConfig = {
      type: 'dense',
      inFeatures: this.inFeatures,
      outFeatures: this.outFeatures,
      activation: this.activation,
      init: this.init,
    };
    if (this.activation === 'leaky_relu') c.slope = this.slope;
    return c;
  }
}
