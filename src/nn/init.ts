// Weight initialisers, each with its formula; biases start at zero.

import type { ActivationName } from '../backend/backend.js';
import { ConfigError, check } from '../core/errors.js';
import type { Rng } from '../core/random.js';
import type { FloatArray } from '../core/tensor.js';
import { warn } from '../core/warnings.js';

/** Weight initialisers by name (see initScale for each formula). */
export type InitName = 'zeros' | 'uniform' | 'lecun_normal' | 'he_normal' | 'glorot_normal' | 'glorot_uniform';

/** Every InitName. */
export const INIT_NAMES: readonly InitName[] = [
  'zeros',
  'uniform',
  'lecun_normal',
  'he_normal',
  'glorot_normal',
  'glorot_uniform',
];

/**
 * Accepted aliases: Xavier is Glorot's first name. A bare 'xavier' is refused on purpose: course
 * notes use it for √(1/n) (LeCun's scale) as often as for Glorot's √(2/(n_in + n_out)).
 */
const INIT_ALIASES: Record<string, InitName> = {
  xavier_normal: 'glorot_normal',
  xavier_uniform: 'glorot_uniform',
  lecun: 'lecun_normal',
  he: 'he_normal',
  glorot: 'glorot_normal',
};

/** An initialiser by name, or uniform with its half-width ε. */
export type InitSpec =
  | InitName
  | 'xavier_normal'
  | 'xavier_uniform'
  | {
      /** Uniform U[−ε, ε]. */
      name: 'uniform';
      /** The half-width ε > 0. */
      epsilon: number;
    };

/** The default ε of `uniform`: weights uniform in [−0.05, 0.05] (Keras's RandomUniform default). */
export const DEFAULT_UNIFORM_EPSILON = 0.05;

/**
 * `name` or its alias (`xavier_normal`, `xavier_uniform`, `glorot`, `he`, `lecun`) as an InitName;
 * throws a ConfigError listing the valid names otherwise.
 */
export function resolveInitName(name: string): InitName {
  const resolved = INIT_ALIASES[name] ?? name;
  check(
    (INIT_NAMES as readonly string[]).includes(resolved),
    ConfigError,
    () => `unknown initialiser '${name}'; expected one of ${[...INIT_NAMES, ...Object.keys(INIT_ALIASES)].join(', ')}`,
  );
  return resolved as InitName;
}

/** He for ReLU-family activations (their variance halves at each layer), Glorot for the others. */
export function defaultInit(activation: ActivationName): InitName {
  return activation === 'relu' || activation === 'leaky_relu' ? 'he_normal' : 'glorot_normal';
}

/** The standard deviation (normal) or half-width (uniform) an initialiser uses for a [nOut, nIn] weight. */
export function initScale(spec: InitSpec, nIn: number, nOut: number): number {
  if (typeof spec === 'object') return spec.epsilon;
  switch (resolveInitName(spec)) {
    case 'zeros':
      return 0;
    case 'uniform':
      return DEFAULT_UNIFORM_EPSILON;
    case 'lecun_normal':
      return Math.sqrt(1 / nIn); // LeCun (1998): Var(w) = 1/n_in
    case 'he_normal':
      return Math.sqrt(2 / nIn); // He et al. (2015): Var(w) = 2/n_in
    case 'glorot_normal':
      return Math.sqrt(2 / (nIn + nOut)); // Glorot & Bengio (2010): Var(w) = 2/(n_in + n_out)
    case 'glorot_uniform':
      return Math.sqrt(6 / (nIn + nOut)); // U[−l, l] has variance l²/3 = 2/(n_in + n_out)
  }
}

/**
 * Fills `weight` (a [nOut, nIn] matrix, row-major) by the initialiser `spec`.
 * Normal initialisers draw N(0, σ²); uniform ones draw U[−l, l].
 *
 * @example
 * const w = new Float32Array(6); initializeWeights(w, 3, 2, 'he_normal', new Rng(1));
 */
export function initializeWeights(weight: FloatArray, nIn: number, nOut: number, spec: InitSpec, rng: Rng): void {
  check(
    weight.length === nIn * nOut,
    ConfigError,
    () => `initializeWeights: buffer has ${weight.length} values, a [${nOut}, ${nIn}] weight needs ${nIn * nOut}`,
  );
  const name = typeof spec === 'object' ? 'uniform' : resolveInitName(spec);
  const scale = initScale(spec, nIn, nOut);
  if (typeof spec === 'object') {
    check(
      Number.isFinite(spec.epsilon) && spec.epsilon > 0,
      ConfigError,
      () => `uniform initialiser: epsilon must be a positive number, got ${spec.epsilon}`,
    );
  }
  switch (name) {
    case 'zeros':
      warn(
        'zero initialisation: every neuron of a layer computes the same function and receives the same gradient, so they stay identical (the symmetry is never broken)',
      );
      weight.fill(0);
      return;
    case 'uniform':
    case 'glorot_uniform':
      for (let i = 0; i < weight.length; i++) weight[i] = rng.uniformRange(-scale, scale);
      return;
    case 'lecun_normal':
    case 'he_normal':
    case 'glorot_normal':
      for (let i = 0; i < weight.length; i++) weight[i] = scale * rng.normal();
      return;
  }
}
