// Run by model-save.test.ts in a child process: saves a seeded model to a directory the way
// saveModel does, and stops for good after a given step, so that the parent can SIGKILL it there.
import { modelJson, modelWeights } from '../../src/io/model-dir.js';
import { prepareModelOut, writeModelFiles } from '../../src/io/model-store.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import { seededModel } from './seeded-model.js';

const [dir, seed, stopAt] = process.argv.slice(2) as [string, string, string];
const model = seededModel(Number(seed));
await prepareModelOut(dir);
await writeModelFiles(dir, modelJson(model), encodeSafetensors(modelWeights(model), { format: 'pt' }), {
  onStep: (step) => {
    if (step !== stopAt) return undefined;
    process.stdout.write(`stopped after ${step}\n`);
    // Stay alive, doing nothing, until killed.
    return new Promise(() => setInterval(() => undefined, 1000));
  },
});
process.stdout.write('saved\n');
