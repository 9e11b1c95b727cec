// The optimiser contract (small state per parameter + an update), validation and gradient clipping.

import type { Backend } from '../backend/backend.js';
import { referenceBackend } from '../backend/reference/reference.js';
import { ConfigError, check } from '../core/errors.js';
import type { FloatArray } from '../core/tensor.js';
import { allocArray, freeArray } from '../nn/buffers.js';
import type { Parameter } from '../nn/layer.js';

/** Options every optimiser accepts. */
export interface BaseOptimizerOptions {
  /** Learning rate α (readable and settable during training through `optimizer.lr`). */
  lr?: number;
  /** L2 penalty λ: λ·w is added to the gradient (decoupled decay for AdamW). */
  weightDecay?: number;
  /**
   * L1 penalty λ₁ (the gradient of λ₁·Σ|w|): λ₁·sign(w) is added to every parameter's gradient,
   * biases included as with weightDecay, with sign(0) = 0 as PyTorch's. Applied in step(), after
   * clipping; it drives small weights to zero (sparse networks).
   */
  l1?: number;
  /** Clip the global gradient norm to this value before each step (PyTorch's clip_grad_norm_). */
  clipNorm?: number;
  /** The network's backend: state buffers live in its memory and fused updates run there. */
  backend?: Backend;
}

/**
 * An optimiser's state as plain data, like PyTorch's `optimizer.state_dict()`: the step count, the
 * learning rate, the hyper-parameters, and per-parameter state arrays keyed by parameter name and
 * slot name (`exp_avg`, `exp_avg_sq`, `momentum_buffer`, ...). Arrays are copies.
 */
export interface OptimizerStateDict {
  /** Kind of optimiser that wrote this state (`'adam'`, `'sgd'`, ...); loadStateDict requires the same. */
  name: string;
  /** Steps taken (t in Adam's bias corrections 1 − β^t). */
  steps: number;
  /** Learning rate α at the time of the snapshot. */
  lr: number;
  /** Hyper-parameters (`weightDecay`, `clipNorm`, `beta1`, `momentum`, ...) that loadStateDict requires to match. */
  hyperParameters: Record<string, number | boolean | null>;
  /** State arrays by parameter name (`layers.0.weight`) and slot name (`exp_avg`), each as long as its parameter. */
  state: Record<string, Record<string, FloatArray>>;
}

/**
 * The optimiser contract: small state per parameter plus an update, applied by `step()` to every
 * parameter from its accumulated gradient `grad` (PyTorch's `zeroGrad()` / `step()` cycle).
 * Subclasses name their state slots and implement `update`. Gradients accumulate until `zeroGrad()`.
 *
 * @example
 * const model = Sequential.mlp({ inputs: 2, hidden: [4], outputs: 1, task: 'regression', seed: 1 });
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 * model.computeGradients(x, y); // forward + backward: fills each parameter's grad
 * opt.step();                   // w ← w − lr·m̂/(√v̂ + ε) for every parameter
 * opt.zeroGrad();
 */
export abstract class Optimizer {
  /** The optimiser's name as `createOptimizer` takes it (`'sgd'`, `'adam'`, ...). */
  abstract readonly name: string;
  /** The parameters this optimiser updates, in the order given to the constructor. */
  protected readonly params: Parameter[];
  /** Per-parameter state, keyed by parameter name. */
  protected readonly state = new Map<string, FloatArray[]>();
  /** L2 penalty λ (0: none): λw is added to the gradient, or w ← w(1 − lr·λ) for AdamW. */
  readonly weightDecay: number;
  /** L1 penalty λ₁ (0: none): λ₁·sign(w) is added to the gradient after clipping. */
  readonly l1: number;
  /** Global gradient-norm limit applied before each step (null: no clipping). */
  readonly clipNorm: number | null;
  /** The backend whose memory holds the state arrays and whose kernels run the updates. */
  protected readonly backend: Backend;
  /** Number of steps taken. */
  steps = 0;
  private learningRate: number;

  protected constructor(params: Parameter[], options: BaseOptimizerOptions, defaultLr: number) {
    this.params = params;
    this.backend = options.backend ?? referenceBackend;
    this.learningRate = options.lr ?? defaultLr;
    this.lr = this.learningRate; // validates
    this.weightDecay = options.weightDecay ?? 0;
    check(
      Number.isFinite(this.weightDecay) && this.weightDecay >= 0,
      ConfigError,
      () => `Invalid weight decay: ${options.weightDecay}`,
    );
    this.l1 = options.l1 ?? 0;
    check(
      Number.isFinite(this.l1) && this.l1 >= 0,
      ConfigError,
      () => `Invalid L1 penalty: ${options.l1} (must be a number >= 0)`,
    );
    this.clipNorm = options.clipNorm ?? null;
    check(
      this.clipNorm === null || (Number.isFinite(this.clipNorm) && this.clipNorm > 0),
      ConfigError,
      () => `Invalid clipNorm: ${options.clipNorm} (must be > 0)`,
    );
  }

  /** Learning rate α used by the next step. */
  get lr(): number {
    return this.learningRate;
  }

  /** Sets α for the following steps; a negative or non-finite rate throws a ConfigError. */
  set lr(value: number) {
    check(Number.isFinite(value) && value >= 0, ConfigError, () => `Invalid learning rate: ${value}`);
    this.learningRate = value;
  }

  /** Sets every parameter's gradient to zero. */
  zeroGrad(): void {
    for (const p of this.params) p.grad.data.fill(0);
  }

  /**
   * Applies one update to every parameter from its accumulated gradient. With an L1 penalty the
   * gradients hold g + λ₁·sign(w) afterwards.
   */
  step(): void {
    if (this.clipNorm !== null) clipGradNorm(this.params, this.clipNorm);
    if (this.l1 > 0) addL1Gradient(this.params, this.l1);
    this.steps++;
    for (const p of this.params) this.update(p, this.slots(p));
  }

  /** Drops the accumulated state (moments, velocities) and the step count, giving its memory back. */
  reset(): void {
    for (const slots of this.state.values()) for (const s of slots) freeArray(s);
    this.state.clear();
    this.steps = 0;
  }

  /**
   * The state as plain data (copies), to save and later continue with loadStateDict.
   *
   * @example
   * const sd = opt.stateDict(); // { name: 'adam', steps: 10, lr: 0.001, hyperParameters: {...}, state: { 'layers.0.weight': { exp_avg, exp_avg_sq }, ... } }
   */
  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = {};
    const names = this.slotNames();
    for (const [param, slots] of this.state) {
      state[param] = Object.fromEntries(names.map((n, i) => [n, slots[i]!.slice()]));
    }
    return { name: this.name, steps: this.steps, lr: this.lr, hyperParameters: this.hyperParameters(), state };
  }

  /**
   * Continues from a state returned by stateDict() of an optimiser of the same kind and
   * hyper-parameters over parameters of the same names and sizes. Replaces all current state.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const what = `${this.name}.loadStateDict`;
    check(
      typeof sd === 'object' && sd !== null,
      ConfigError,
      () => `${what}: expected a state dict object, got ${String(sd)}`,
    );
    check(
      sd.name === this.name,
      ConfigError,
      () => `${what}: the state dict is of optimizer '${sd.name}', this is '${this.name}'`,
    );
    check(
      Number.isInteger(sd.steps) && sd.steps >= 0,
      ConfigError,
      () => `${what}: steps must be a non-negative integer, got ${sd.steps}`,
    );
    const own = this.hyperParameters();
    for (const [key, value] of Object.entries(own)) {
      // State saved before the L1 option existed has no l1: it trained without one.
      const saved = key === 'l1' ? (sd.hyperParameters?.l1 ?? 0) : sd.hyperParameters?.[key];
      check(
        saved === value,
        ConfigError,
        () => `${what}: ${key} is ${saved} in the state dict, ${value} in this optimizer`,
      );
    }
    const byName = new Map(this.params.map((p) => [p.name, p]));
    const names = this.slotNames();
    const loaded = new Map<string, FloatArray[]>();
    for (const [param, slots] of Object.entries(sd.state ?? {})) {
      const p = byName.get(param);
      check(
        p !== undefined,
        ConfigError,
        () => `${what}: state for unknown parameter '${param}' (this optimizer has ${[...byName.keys()].join(', ')})`,
      );
      check(
        Object.keys(slots).length === names.length && names.every((n) => n in slots),
        ConfigError,
        () =>
          `${what}: parameter '${param}' has state ${Object.keys(slots).join(', ') || '(none)'}; ${this.name} keeps ${names.join(', ') || 'none'}`,
      );
      loaded.set(
        param,
        names.map((n) => {
          const src = slots[n]!;
          check(
            src.length === p.value.size,
            ConfigError,
            () => `${what}: '${param}' ${n} has ${src.length} values, the parameter has ${p.value.size}`,
          );
          const dst = this.makeSlot(p);
          dst.set(src);
          return dst;
        }),
      );
    }
    this.lr = sd.lr;
    this.state.clear();
    for (const [k, v] of loaded) this.state.set(k, v);
    this.steps = sd.steps;
  }

  /** Names of the per-parameter state arrays, in the order update() receives them (PyTorch's names). */
  protected abstract slotNames(): string[];
  /** Updates `p.value` in place from `p.grad` and this parameter's state arrays (in `slotNames()` order). */
  protected abstract update(p: Parameter, slots: FloatArray[]): void;

  /** Hyper-parameters that loadStateDict requires to match (subclasses add theirs). */
  protected hyperParameters(): Record<string, number | boolean | null> {
    return { weightDecay: this.weightDecay, l1: this.l1, clipNorm: this.clipNorm };
  }

  /** A zeroed state array for `p`: in the backend's memory for float32 weights (freed by reset). */
  private makeSlot(p: Parameter): FloatArray {
    return allocArray(p.value.size, p.value.data instanceof Float64Array ? 'float64' : 'float32', this.backend);
  }

  private slots(p: Parameter): FloatArray[] {
    let s = this.state.get(p.name);
    if (!s) {
      s = this.slotNames().map(() => this.makeSlot(p));
      this.state.set(p.name, s);
    }
    return s;
  }
}

/** The backend that updates `p`: the network's for float32 weights, the reference for float64 (gradient checks). */
export function backendFor(p: Parameter, backend: Backend): Backend {
  return p.value.data instanceof Float32Array ? backend : referenceBackend;
}

/**
 * Adds the gradient of the L1 penalty λ₁·Σ|w| to every parameter's gradient: g ← g + λ₁·sign(w),
 * sign(0) = 0. One pass in JavaScript over the gradients (as clipGradNorm), the same on every backend.
 */
export function addL1Gradient(params: readonly Parameter[], l1: number): void {
  for (const p of params) {
    const w = p.value.data,
      g = p.grad.data;
    for (let i = 0; i < g.length; i++) {
      const wi = w[i]!;
      if (wi > 0) g[i] = g[i]! + l1;
      else if (wi < 0) g[i] = g[i]! - l1;
    }
  }
}

/**
 * Scales all gradients by maxNorm / (‖g‖ + 1e-6) when their global L2 norm ‖g‖ exceeds maxNorm
 * (PyTorch's clip_grad_norm_). Returns the norm before clipping.
 */
export function clipGradNorm(params: readonly Parameter[], maxNorm: number): number {
  let sq = 0;
  for (const p of params) {
    const g = p.grad.data;
    for (let i = 0; i < g.length; i++) sq += g[i]! * g[i]!;
  }
  const norm = Math.sqrt(sq);
  const scale = maxNorm / (norm + 1e-6);
  if (scale < 1) {
    for (const p of params) {
      const g = p.grad.data;
      for (let i = 0; i < g.length; i++) g[i] = g[i]! * scale;
    }
  }
  return norm;
}

export function checkUnitInterval(value: number, what: string, closedAtOne = false): void {
  check(
    Number.isFinite(value) && value >= 0 && (closedAtOne ? value <= 1 : value < 1),
    ConfigError,
    () => `Invalid ${what}: ${value}`,
  );
}
