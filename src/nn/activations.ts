// Activation names (with validation) and the stand-alone activation layer.
import { ACTIVATIONS, type ActivationName } from '../backend/backend.js';
import { referenceBackend } from '../backend/reference/reference.js';
import { ConfigError, check, ShapeError } from '../core/errors.js';
import { expect2D, formatShape, type Tensor } from '../core/tensor.js';
import { MatrixBuffer } from './buffers.js';
import type { BackwardOptions, ForwardOptions, Layer, LayerConfig, LayerContext } from './layer.js';

export type { ActivationName } from '../backend/backend.js';
export { ACTIVATIONS } from '../backend/backend.js';

const ACTIVATION_ALIASES: Record<string, ActivationName> = {
  identity: 'linear',
  leakyrelu: 'leaky_relu',
  'leaky-relu': 'leaky_relu',
};

/** PyTorch's default negative slope of leaky ReLU. */
export const DEFAULT_LEAKY_SLOPE = 0.01;

/** Validates an activation name (accepts `identity` for `linear`). */
export function resolveActivation(name: string): ActivationName {
  const resolved = ACTIVATION_ALIASES[name] ?? name;
  check(
    (ACTIVATIONS as readonly string[]).includes(resolved),
    ConfigError,
    () => `unknown activation '${name}'; expected one of ${ACTIVATIONS.join(', ')}`,
  );
  return resolved as ActivationName;
}

export function checkSlope(slope: number): void {
  check(
    Number.isFinite(slope) && slope >= 0,
    ConfigError,
    () => `leaky_relu slope must be a finite number ≥ 0, got ${slope}`,
  );
}

/**
 * An activation a = g(z) as a layer of its own (no parameters).
 *
 * @example
 * new Sequential([new Dense(2, 4), new Activation('tanh'), new Dense(4, 1), new Activation('sigmoid')]);
 */
export class Activation implements Layer {
  /** `'activation'`. */
  readonly type = 'activation' as const;
  /** g. */
  readonly activation: ActivationName;
  /** Negative slope of leaky_relu (unused by other activations). */
  readonly slope: number;
  context: LayerContext = { dtype: 'float32', backend: referenceBackend };
  private out: MatrixBuffer | null = null;
  private dIn: MatrixBuffer | null = null;
  private lastZ: Tensor | null = null;
  private lastA: Tensor | null = null;

  constructor(activation: ActivationName | 'identity', options: { slope?: number } = {}) {
    this.activation = resolveActivation(activation);
    this.slope = options.slope ?? DEFAULT_LEAKY_SLOPE;
    checkSlope(this.slope);
  }

  outputFeatures(inFeatures: number): number {
    return inFeatures;
  }

  dispose(): void {
    this.out?.dispose();
    this.dIn?.dispose();
    this.out = this.dIn = null;
    this.lastZ = this.lastA = null;
  }

  forward(x: Tensor, options: ForwardOptions): Tensor {
    expect2D(x, `activation ${this.activation}`);
    const [m, n] = x.shape as [number, number];
    if (this.out === null || this.out.view(1).cols !== n || x.dtype !== this.context.dtype) {
      this.context = { ...this.context, dtype: x.dtype };
      this.out = new MatrixBuffer(n, x.dtype, this.context.backend);
      this.dIn = new MatrixBuffer(n, x.dtype, this.context.backend);
    }
    const a = this.out.view(m);
    this.context.backend.activation(x.data, a.data, m, n, this.activation, this.slope);
    this.lastZ = options.training ? x : null;
    this.lastA = options.training ? a : null;
    return a;
  }

  backward(dOut: Tensor, options: BackwardOptions = {}): Tensor | null {
    check(
      this.lastZ !== null && this.lastA !== null && this.dIn !== null,
      ShapeError,
      () => `activation ${this.activation}: backward called without a training-mode forward pass`,
    );
    const z = this.lastZ,
      a = this.lastA;
    check(
      dOut.shape[0] === z.shape[0] && dOut.shape[1] === z.shape[1],
      ShapeError,
      () =>
        `activation ${this.activation}: gradient of shape ${formatShape(dOut.shape)} does not match the output ${formatShape(z.shape)}`,
    );
    if (options.inputGradient === false) return null;
    if (options.fromPreActivation) return dOut;
    const [m, n] = z.shape as [number, number];
    const dz = this.dIn.view(m);
    this.context.backend.activationBackward(z.data, a.data, dOut.data, dz.data, m, n, this.activation, this.slope);
    return dz;
  }

  parameters(): [] {
    return [];
  }

  finalActivation(): ActivationName {
    return this.activation;
  }

  lastPreActivation(): Tensor | null {
    return this.lastZ;
  }

  withContext(context: LayerContext): Activation {
    const copy = new Activation(this.activation, { slope: this.slope });
    copy.context = context;
    return copy;
  }

  /** `{ type: 'activation', activation }`, with `slope` for leaky_relu. */
  config(): LayerConfig {
    return this.activation === 'leaky_relu'
      ? { type: 'activation', activation: this.activation, slope: this.slope }
      : { type: 'activation', activation: this.activation };
  }
}
