// Inverted dropout: in training each unit is kept with probability 1 − p and scaled by 1/(1 − p).
import { referenceBackend } from '../backend/reference/reference.js';
import { ConfigError, check, ShapeError } from '../core/errors.js';
import { keepThreshold } from '../core/philox.js';
import { expect2D, formatShape, type Tensor } from '../core/tensor.js';
import { MatrixBuffer } from './buffers.js';
import type { BackwardOptions, ForwardOptions, Layer, LayerConfig, LayerContext } from './layer.js';

/**
 * Dropout with rate p. Scaling the kept units by 1/(1 − p) during training keeps the expected
 * activation unchanged, so inference is the identity. Each training-mode forward pass draws a
 * 64-bit key (two words) from the seeded generator in the forward options (fit passes its own) and
 * the backend draws the mask from it with Philox4x32-10, a counter-based generator: the mask
 * depends on the key alone, so it is the same on every backend and thread count, and the
 * generator's state is all that a checkpoint needs to continue the same masks.
 *
 * @example
 * new Sequential([new Dense(64, 32, { activation: 'relu' }), new Dropout(0.2), new Dense(32, 10, { activation: 'softmax' })]);
 */
export class Dropout implements Layer {
  /** `'dropout'`. */
  readonly type = 'dropout' as const;
  /** Drop probability p in [0, 1). */
  readonly rate: number;
  context: LayerContext = { dtype: 'float32', backend: referenceBackend };
  private outBuf: MatrixBuffer | null = null;
  private maskBuf: MatrixBuffer | null = null;
  private dxBuf: MatrixBuffer | null = null;
  private width = -1;
  private lastMask: Tensor | null = null;

  /** Drops each unit with probability `rate` in [0, 1) (a ConfigError otherwise). */
  constructor(rate: number) {
    check(
      Number.isFinite(rate) && rate >= 0 && rate < 1,
      ConfigError,
      () => `Dropout: rate must be in [0, 1), got ${rate}`,
    );
    this.rate = rate;
  }

  outputFeatures(inFeatures: number): number {
    return inFeatures;
  }

  forward(x: Tensor, options: ForwardOptions): Tensor {
    expect2D(x, 'dropout');
    if (!options.training || this.rate === 0) {
      this.lastMask = null;
      return x;
    }
    check(
      options.rng !== undefined,
      ConfigError,
      () => `Dropout: training mode needs a seeded rng in the forward options`,
    );
    const [m, n] = x.shape as [number, number];
    if (this.width !== n || this.outBuf === null || x.dtype !== this.context.dtype) {
      this.dispose();
      this.context = { ...this.context, dtype: x.dtype };
      this.outBuf = new MatrixBuffer(n, x.dtype, this.context.backend);
      this.maskBuf = new MatrixBuffer(n, x.dtype, this.context.backend);
      this.dxBuf = new MatrixBuffer(n, x.dtype, this.context.backend);
      this.width = n;
    }
    const out = this.outBuf.view(m);
    const mask = this.maskBuf!.view(m);
    const keep = 1 - this.rate;
    const key0 = options.rng.nextUint32(),
      key1 = options.rng.nextUint32();
    this.context.backend.dropout(x.data, out.data, mask.data, m * n, {
      key0,
      key1,
      threshold: keepThreshold(keep),
      scale: 1 / keep,
    });
    this.lastMask = mask;
    return out;
  }

  backward(dOut: Tensor, options: BackwardOptions = {}): Tensor | null {
    if (options.inputGradient === false) return null;
    if (this.lastMask === null) return dOut; // identity in inference mode or with rate 0
    const mask = this.lastMask;
    check(
      dOut.size === mask.size,
      ShapeError,
      () =>
        `dropout: gradient of shape ${formatShape(dOut.shape)} does not match the output ${formatShape(mask.shape)}`,
    );
    const dx = this.dxBuf!.view(mask.shape[0]!);
    this.context.backend.multiply(dOut.data, mask.data, dx.data, dOut.size);
    return dx;
  }

  dispose(): void {
    for (const b of [this.outBuf, this.maskBuf, this.dxBuf]) b?.dispose();
    this.outBuf = this.maskBuf = this.dxBuf = null;
    this.lastMask = null;
    this.width = -1;
  }

  parameters(): [] {
    return [];
  }

  finalActivation(): null {
    return null;
  }

  lastPreActivation(): null {
    return null;
  }

  withContext(context: LayerContext): Dropout {
    const copy = new Dropout(this.rate);
    copy.context = context;
    return copy;
  }

  /** `{ type: 'dropout', rate }`. */
  config(): LayerConfig {
    return { type: 'dropout', rate: this.rate };
  }
}
