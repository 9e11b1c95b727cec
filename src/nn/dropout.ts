// Inverted dropout: in training each unit is kept with probability 1 − p and scaled by 1/(1 − p).
import { referenceBackend } from '../backend/reference/reference.js';
import { ConfigError, ShapeError, check } from '../core/errors.js';
import { expect2D, formatShape, type Tensor } from '../core/tensor.js';
import { MatrixBuffer } from './buffers.js';
import type { BackwardOptions, ForwardOptions, Layer, LayerConfig, LayerContext } from './layer.js';

/**
 * Dropout with rate p. Scaling the kept units by 1/(1 − p) during training keeps the expected
 * activation unchanged, so inference is the identity. The mask comes from the seeded generator
 * passed in the forward options (fit passes its own), so runs are reproducible.
 */
export class Dropout implements Layer {
  readonly type = 'dropout' as const;
  readonly rate: number;
  context: LayerContext = { dtype: 'float32', backend: referenceBackend };
  private outBuf: MatrixBuffer | null = null;
  private maskBuf: MatrixBuffer | null = null;
  private dxBuf: MatrixBuffer | null = null;
  private width = -1;
  private lastMask: Tensor | null = null;

  constructor(rate: number) {
    check(Number.isFinite(rate) && rate >= 0 && rate < 1, ConfigError, () => `Dropout: rate must be in [0, 1), got ${rate}`);
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
    check(options.rng !== undefined, ConfigError, () => `Dropout: training mode needs a seeded rng in the forward options`);
    const [m, n] = x.shape as [number, number];
    if (this.width !== n || this.outBuf === null || x.dtype !== this.context.dtype) {
      this.context = { ...this.context, dtype: x.dtype };
      this.outBuf = new MatrixBuffer(n, x.dtype, this.context.backend);
      this.maskBuf = new MatrixBuffer(n, x.dtype, this.context.backend);
      this.dxBuf = new MatrixBuffer(n, x.dtype, this.context.backend);
      this.width = n;
    }
    const out = this.outBuf.view(m);
    const mask = this.maskBuf!.view(m);
    const keep = 1 - this.rate;
    const scale = 1 / keep;
    const rng = options.rng;
    for (let i = 0; i < m * n; i++) {
      const kept = rng.uniform() < keep ? scale : 0;
      mask.data[i] = kept;
      out.data[i] = x.data[i]! * kept;
    }
    this.lastMask = mask;
    return out;
  }

  backward(dOut: Tensor, options: BackwardOptions = {}): Tensor | null {
    if (options.inputGradient === false) return null;
    if (this.lastMask === null) return dOut; // identity in inference mode or with rate 0
    const mask = this.lastMask;
    check(dOut.size === mask.size, ShapeError, () => `dropout: gradient of shape ${formatShape(dOut.shape)} does not match the output ${formatShape(mask.shape)}`);
    const dx = this.dxBuf!.view(mask.shape[0]!);
    for (let i = 0; i < dOut.size; i++) dx.data[i] = dOut.data[i]! * mask.data[i]!;
    return dx;
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

  config(): LayerConfig {
    return { type: 'dropout', rate: this.rate };
  }
}
