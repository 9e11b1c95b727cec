// Optimisers by name, for configuration files and the command line.
import { ConfigError } from '../core/errors.js';
import type { Parameter } from '../nn/layer.js';
import { Adam, type AdamOptions, AdamW } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { RMSProp, type RmsPropOptions } from './rmsprop.js';
import { Momentum, Nesterov, SGD, type SgdOptions } from './sgd.js';

/** The optimisers by name: `sgd`, `momentum` (the notes' form), `nesterov`, `rmsprop`, `adam`, `adamw`. */
export type OptimizerName = 'sgd' | 'momentum' | 'nesterov' | 'rmsprop' | 'adam' | 'adamw';
/** Every OptimizerName, in the order the CLI's help lists them. */
export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam', 'adamw'];

/** All options any optimiser takes; each uses the ones that concern it. */
export type OptimizerOptions = SgdOptions & RmsPropOptions & AdamOptions;

/** An optimiser by name with its options, e.g. `{ name: 'adam', lr: 1e-3 }`. */
export type OptimizerSpec =
  | OptimizerName
  | ({
      /** Which optimiser. */
      name: OptimizerName;
    } & OptimizerOptions);

/**
 * Creates the optimiser a spec names over `params`; `extra` fills options the spec leaves out.
 * Throws a ConfigError for an unknown name or an invalid hyper-parameter.
 *
 * @example
 * const opt = createOptimizer({ name: 'adam', lr: 1e-3 }, model.parameters()); // an Adam
 */
export function createOptimizer(spec: OptimizerSpec, params: Parameter[], extra: OptimizerOptions = {}): Optimizer {
  const { name, ...options } = typeof spec === 'string' ? { name: spec } : spec;
  const o: OptimizerOptions = { ...extra, ...options };
  switch (name) {
    case 'sgd':
      return new SGD(params, o);
    case 'momentum':
      return new Momentum(params, o);
    case 'nesterov':
      return new Nesterov(params, o);
    case 'rmsprop':
      return new RMSProp(params, o);
    case 'adam':
      return new Adam(params, o);
    case 'adamw':
      return new AdamW(params, o);
    default:
      throw new ConfigError(`unknown optimizer '${String(name)}'; expected one of ${OPTIMIZERS.join(', ')}`);
  }
}
