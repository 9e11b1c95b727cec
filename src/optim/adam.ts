// Adam and AdamW as PyTorch defines them; the update runs in the backend (fused in WASM).

import { ConfigError, check } from '../core/errors.js';
import type { FloatArray } from '../core/tensor.js';
import type { Parameter } from '../nn/layer.js';
import { DEFAULT_LEARNING_RATES } from './defaults.js';
import { type BaseOptimizerOptions, backendFor, Optimizer } from './optimizer.js';

/** Options of Adam and AdamW: the common ones plus β1, β2 and ε. */
export interface AdamOptions extends BaseOptimizerOptions {
  /** Decay β1 in [0, 1) of the first moment m (default 0.9). */
  beta1?: number;
  /** Decay β2 in [0, 1) of the second moment v (default 0.999). */
  beta2?: number;
  /** ε ≥ 0 added to √v̂ (default 1e-8). */
  eps?: number;
}

/**
 * Adam (Kingma & Ba): g ← g + λw; m ← β1 m + (1 − β1)g; v ← β2 v + (1 − β2)g²;
 * w ← w − lr·m̂/(√v̂ + ε) with m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t).
 * Defaults lr 1e-3, β1 0.9, β2 0.999, ε 1e-8 (outside the square root), as PyTorch. Throws a
 * ConfigError for a β outside [0, 1), a negative ε, rate or weight decay.
 *
 * @example
 * const opt = new Adam(model.parameters(), { lr: 3e-4, beta2: 0.99 });
 */
export class Adam extends Optimizer {
  /** `'adam'` (`'adamw'` for AdamW). */
  readonly name: string = 'adam';
  /** Decay β1 of the first moment m. */
  readonly beta1: number;
  /** Decay β2 of the second moment v. */
  readonly beta2: number;
  /** ε added to √v̂. */
  readonly eps: number;
  /** AdamW's decoupled weight decay w ← w(1 − lr·λ) (true) instead of λw added to the gradient (false). */
  protected decoupled = false;

  constructor(params: Parameter[], options: AdamOptions = {}) {
    super(params, options, DEFAULT_LEARNING_RATES.adam);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    check(
      Number.isFinite(this.beta1) && this.beta1 >= 0 && this.beta1 < 1,
      ConfigError,
      () => `Invalid beta parameter at index 0: ${this.beta1}`,
    );
    check(
      Number.isFinite(this.beta2) && this.beta2 >= 0 && this.beta2 < 1,
      ConfigError,
      () => `Invalid beta parameter at index 1: ${this.beta2}`,
    );
    check(Number.isFinite(this.eps) && this.eps >= 0, ConfigError, () => `Invalid epsilon value: ${this.eps}`);
  }

  protected slotNames(): string[] {
    return ['exp_avg', 'exp_avg_sq'];
  }

  protected override hyperParameters(): Record<string, number | boolean | null> {
    return { ...super.hyperParameters(), beta1: this.beta1, beta2: this.beta2, eps: this.eps };
  }

  protected update(p: Parameter, slots: FloatArray[]): void {
    backendFor(p, this.backend).adamUpdate(p.value.data, p.grad.data, slots[0]!, slots[1]!, {
      lr: this.lr,
      beta1: this.beta1,
      beta2: this.beta2,
      eps: this.eps,
      biasCorrection1: 1 - this.beta1 ** this.steps,
      biasCorrection2: 1 - this.beta2 ** this.steps,
      weightDecay: this.weightDecay,
      decoupled: this.decoupled,
    });
  }
}

/**
 * AdamW (Loshchilov & Hutter): the weight decays directly, w ← w(1 − lr·λ), before the Adam step,
 * instead of λw entering the moments. PyTorch's default λ is 0.01.
 *
 * @example
 * const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 */
export class AdamW extends Adam {
  override readonly name = 'adamw';

  constructor(params: Parameter[], options: AdamOptions = {}) {
    super(params, { weightDecay: 0.01, ...options });
    this.decoupled = true;
  }
}
