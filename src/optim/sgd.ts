// Gradient descent with the notes' momentum, PyTorch's momentum and Nesterov: one rule, with options.

import { ConfigError, check } from '../core/errors.js';
import type { FloatArray } from '../core/tensor.js';
import type { Parameter } from '../nn/layer.js';
import { DEFAULT_LEARNING_RATES } from './defaults.js';
import { type BaseOptimizerOptions, backendFor, checkUnitInterval, Optimizer } from './optimizer.js';

/** Options of SGD (and Nesterov): the common ones plus momentum μ and Nesterov's look-ahead. */
export interface SgdOptions extends BaseOptimizerOptions {
  /** Momentum μ (0 = plain gradient descent). */
  momentum?: number;
  /** Nesterov's look-ahead form (needs momentum > 0). */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent as PyTorch defines it (default lr 0.01):
 * g ← g + λw; with momentum: v ← μv + g (v starts as g); Nesterov uses g + μv; then w ← w − α·(v or g).
 * With the whole data set as one batch this is the notes' batch gradient descent. Throws a
 * ConfigError for a rate, momentum or weight decay out of range, or Nesterov without momentum.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 */
export class SGD extends Optimizer {
  /** `'sgd'` (`'nesterov'` for the Nesterov subclass). */
  readonly name: string = 'sgd';
  /** Momentum μ in [0, 1) (0: plain gradient descent, no state). */
  readonly momentum: number;
  /** Whether the step uses Nesterov's look-ahead g + μv. */
  readonly nesterov: boolean;

  constructor(params: Parameter[], options: SgdOptions = {}) {
    super(params, options, DEFAULT_LEARNING_RATES.sgd);
    this.momentum = options.momentum ?? 0;
    checkUnitInterval(this.momentum, 'momentum value');
    this.nesterov = options.nesterov ?? false;
    check(
      !this.nesterov || this.momentum > 0,
      ConfigError,
      () => `Nesterov momentum requires a momentum > 0, got ${this.momentum}`,
    );
  }

  protected slotNames(): string[] {
    return this.momentum > 0 ? ['momentum_buffer'] : [];
  }

  protected override hyperParameters(): Record<string, number | boolean | null> {
    return { ...super.hyperParameters(), momentum: this.momentum, nesterov: this.nesterov };
  }

  protected update(p: Parameter, slots: FloatArray[]): void {
    const mu = this.momentum;
    // v starts as g: a decay of 0 on the first step (v is still zero then).
    backendFor(p, this.backend).momentumUpdate(p.value.data, p.grad.data, mu === 0 ? null : slots[0]!, {
      lr: this.lr,
      weightDecay: this.weightDecay,
      decay: this.steps === 1 ? 0 : mu,
      scale: 1,
      nesterov: this.nesterov ? mu : 0,
    });
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
  /** `'momentum'`. */
  readonly name = 'momentum';
  /** β in [0, 1) of the average v ← βv + (1 − β)g (the option `momentum`, default 0.9). */
  readonly beta: number;

  constructor(params: Parameter[], options: BaseOptimizerOptions & { momentum?: number } = {}) {
    super(params, options, DEFAULT_LEARNING_RATES.momentum);
    this.beta = options.momentum ?? 0.9;
    checkUnitInterval(this.beta, 'momentum value');
  }

  protected slotNames(): string[] {
    return ['velocity'];
  }

  protected override hyperParameters(): Record<string, number | boolean | null> {
    return { ...super.hyperParameters(), momentum: this.beta };
  }

  protected update(p: Parameter, slots: FloatArray[]): void {
    backendFor(p, this.backend).momentumUpdate(p.value.data, p.grad.data, slots[0]!, {
      lr: this.lr,
      weightDecay: this.weightDecay,
      decay: this.beta,
      scale: 1 - this.beta,
      nesterov: 0,
    });
  }
}
