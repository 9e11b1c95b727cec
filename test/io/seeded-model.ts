// The models that model-save.test.ts and its child process save: weights and model.json both tell the seed.
import { Sequential } from '../../src/index.js';

export function seededModel(seed: number): Sequential {
  const model = Sequential.mlp({ inputs: 4, hidden: [5], outputs: 3, task: 'classification', seed });
  model.labels = [`a${seed}`, `b${seed}`, `c${seed}`];
  model.trainingConfig = { seed };
  return model;
}
