// Gradient descent with the notes' momentum, PyTorch's momentum and Nesterov: one rule, with options.
import { ConfigError, check } from '../core/errors.js';
import type { FloatArray } from '../core/tensor.js';
import type { Parameter } from '../nn/layer.js';
import { Optimizer, checkUnitInterval, type BaseOptimizerOptions } from './optimizer.js';

export interface SgdOptions extends BaseOptimizerOptions {
  /** Momentum μ (0 = plain gradient descent). */
  momentum?: number;
  /** Nesterov's look-ahead form (needs momentum > 0). */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent as PyTorch defines it (default lr 0.01):
 * g ← g + λw; with momentum: v ← μv + g (v starts as g); Nesterov uses g + μv; then w ← w − α·(v or g).
 * With the whole data set as one batch this is the notes' batch gradient descent.
 */
export class SGD extends Optimizer {
  readonly name: string = 'sgd';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(params: Parameter[], options: SgdOptions = {}) {
    super(params, options, 0.01);
    this.momentum = options.momentum ?? 0;
    checkUnitInterval(this.momentum, 'momentum value');
    this.nesterov = options.nesterov ?? false;
    check(!this.nesterov || this.momentum > 0, ConfigError, () => `Nesterov momentum requires a momentum > 0, got ${this.momentum}`);
  }

  protected slotCount(): number {
    return this.momentum > 0 ? 1 : 0;
  }

  protected update(p: Parameter, slots: FloatArray[]): void {
    const w = p.value.data, g = p.grad.data;
    const lr = this.lr, wd = this.weightDecay, mu = this.momentum;
    if (mu === 0) {
      for (let i = 0; i < w.length; i++) w[i] = w[i]! - lr * (g[i]! + wd * w[i]!);
      return;
    }
    const v = slots[0]!;
    const first = this.steps === 1;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]! + wd * w[i]!;
      const vi = first ? gi : mu * v[i]! + gi;
      v[i] = vi;
      w[i] = w[i]! - lr * (this.nesterov ? gi + mu * vi : vi);
    }
  }
}

/** PyTorch's SGD with nesterov=true. */
export class Nesterov extends SGD {
  override readonly name = 'nesterov';

  constructor(params: Parameter[], options: Omit<SgdOptions, 'nesterov'> = {}) {
    super(params, { momentum: 0.9, ...options, nesterov: true });
  }
}

/**
 * Momentum in the notes' form, an exponentially weighted average of gradients:
 * v ← βv + (1 − β)g (v starts at 0), w ← w − α·v. Default β = 0.9, α = 0.01.
 * (PyTorch's `SGD(momentum=β)` instead sums v ← βv + g; that is optimizer `sgd` with a momentum.)
 */
export class Momentum extends Optimizer {
  readonly name = 'momentum';
  readonly beta: number;

  constructor(params: Parameter[], options: BaseOptimizerOptions & { momentum?: number } = {}) {
    super(params, options, 0.01);
    this.beta = options.momentum ?? 0.9;
    checkUnitInterval(this.beta, 'momentum value');
  }

  protected slotCount(): number {
    return 1;
  }

  protected update(p: Parameter, slots: FloatArray[]): void {
    const w = p.value.data, g = p.grad.data, v = slots[0]!;
    const lr = this.lr, wd = this.weightDecay, b = this.beta;
    for (let i = 0; i < w.length; i++) {
      const vi = b * v[i]! + (1 - b) * (g[i]! + wd * w[i]!);
      v[i] = vi;
      w[i] = w[i]! - lr * vi;
    }
  }
}
