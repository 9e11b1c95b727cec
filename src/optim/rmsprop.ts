// RMSProp as PyTorch defines it.

import { ConfigError, check } from '../core/errors.js';
import type { FloatArray } from '../core/tensor.js';
import type { Parameter } from '../nn/layer.js';
import { DEFAULT_LEARNING_RATES } from './defaults.js';
import { type BaseOptimizerOptions, backendFor, checkUnitInterval, Optimizer } from './optimizer.js';

/** Options of RMSProp: the common ones plus α, ε and momentum. */
export interface RmsPropOptions extends BaseOptimizerOptions {
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha?: number;
  /** Added to √v (default 1e-8). */
  eps?: number;
  /** Momentum on the scaled step (default 0). */
  momentum?: number;
}

/**
 * g ← g + λw; v ← αv + (1 − α)g²; with momentum b ← μb + g/(√v + ε), w ← w − lr·b;
 * otherwise w ← w − lr·g/(√v + ε). Defaults lr 0.01, α 0.99, ε 1e-8 (PyTorch's).
 *
 * @example
 * const opt = new RMSProp(model.parameters(), { lr: 1e-3, alpha: 0.9 });
 */
export class RMSProp extends Optimizer {
  /** `'rmsprop'`. */
  readonly name = 'rmsprop';
  /** Smoothing constant α in [0, 1] of the squared-gradient average v. */
  readonly alpha: number;
  /** ε ≥ 0 added to √v. */
  readonly eps: number;
  /** Momentum μ in [0, 1) on the scaled step (0: none). */
  readonly momentum: number;

  constructor(params: Parameter[], options: RmsPropOptions = {}) {
    super(params, options, DEFAULT_LEARNING_RATES.rmsprop);
    this.alpha = options.alpha ?? 0.99;
    checkUnitInterval(this.alpha, 'alpha value', true);
    this.eps = options.eps ?? 1e-8;
    check(Number.isFinite(this.eps) && this.eps >= 0, ConfigError, () => `Invalid epsilon value: ${options.eps}`);
    this.momentum = options.momentum ?? 0;
    checkUnitInterval(this.momentum, 'momentum value');
  }

  protected slotNames(): string[] {
    return this.momentum > 0 ? ['square_avg', 'momentum_buffer'] : ['square_avg'];
  }

  protected override hyperParameters(): Record<string, number | boolean | null> {
    return { ...super.hyperParameters(), alpha: this.alpha, eps: this.eps, momentum: this.momentum };
  }

  protected update(p: Parameter, slots: FloatArray[]): void {
    backendFor(p, this.backend).rmspropUpdate(
      p.value.data,
      p.grad.data,
      slots[0]!,
      this.momentum > 0 ? slots[1]! : null,
      {
        lr: this.lr,
        weightDecay: this.weightDecay,
        alpha: this.alpha,
        eps: this.eps,
        momentum: this.momentum,
      },
    );
  }
}
