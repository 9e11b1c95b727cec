// Checkpoints and resuming: a run is stopped part-way (as Ctrl-C would stop it), resumed from its
// checkpoint to the end, and its final weights compared byte for byte with a run that was never
// interrupted. Shuffling, the validation split, dropout and Adam's moments all continue where they were.
//
//   npx tsx examples/checkpoint-resume.ts [epochs] [stop-after-epoch] [out-dir]
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Callback,
  featureMatrix,
  fitWithCheckpoints,
  labelColumn,
  oneHot,
  readCsvFile,
  resumeTraining,
  Sequential,
  StandardScaler,
  saveModel,
  sortLabels,
  splitColumns,
  WEIGHTS_FILE,
} from 'backprop/node';

const epochs = Number(process.argv[2] ?? 40);
const stopAfter = Number(process.argv[3] ?? Math.floor(epochs / 2));
const out = process.argv[4] ?? mkdtempSync(path.join(tmpdir(), 'backprop-checkpoint-'));

// The handwritten digits: 64 pixels → the digit.
const table = readCsvFile(fileURLToPath(new URL('../data/digits.csv', import.meta.url)));
const columns = splitColumns(table, ['digit']);
const digits = labelColumn(table, columns);
const labels = sortLabels(digits);
const x = featureMatrix(table, columns);
const y = oneHot(digits, labels, table.source, 'digit');

/** The same seeded model every time: 64 → 32 ReLU (dropout 0.1) → 10 softmax, Adam. */
function freshModel(): Sequential {
  const model = Sequential.mlp({
    inputs: 64,
    hidden: [32],
    outputs: labels.length,
    task: 'classification',
    activation: 'relu',
    dropout: 0.1,
    seed: 1,
  });
  model.scaler = StandardScaler.fit(x);
  model.labels = labels;
  return model.compile({
    loss: 'categorical_crossentropy',
    optimizer: { name: 'adam', lr: 1e-3 },
    metrics: ['accuracy'],
  });
}
const fit = { epochs, batchSize: 64, validationSplit: 0.2, seed: 1 };

// 1. Uninterrupted.
const whole = freshModel();
const reference = await fitWithCheckpoints(whole, x, y, fit);
await saveModel(whole, path.join(out, 'uninterrupted'));

// 2. Checkpointed every 5 epochs and stopped after epoch `stopAfter` (here by a callback; on the
//    command line Ctrl-C aborts the same kind of signal).
const dir = path.join(out, 'checkpoint');
const stop = new AbortController();
const stopper: Callback = {
  onEpochEnd: (logs) => {
    if (logs.epoch === stopAfter) stop.abort();
  },
};
const first = await fitWithCheckpoints(freshModel(), x, y, {
  ...fit,
  callbacks: [stopper],
  signal: stop.signal,
  checkpoint: { dir, every: 5 },
});
console.log(
  `first run: stopped after epoch ${first.history.length} of ${epochs}${first.interrupted ? ' (interrupted)' : ''}, checkpoint of epoch ${first.checkpointEpoch}`,
);

// 3. Resumed from the checkpoint to the run's own number of epochs (read from the checkpoint).
const { model: resumed, result } = await resumeTraining(dir, x, y);
await saveModel(resumed, path.join(out, 'resumed'));
const last = result.history.at(-1)!;
console.log(`resumed run: epochs ${result.history.length} of ${epochs}, val_accuracy ${last.val_accuracy?.toFixed(4)}`);

// The resumed history carries the first run's epochs: the whole run's losses, epoch by epoch.
let largest = 0;
for (const [i, e] of result.history.entries())
  largest = Math.max(
    largest,
    Math.abs(e.loss - reference.history[i]!.loss),
    Math.abs((e.val_loss ?? Number.NaN) - reference.history[i]!.val_loss!),
  );
console.log(`history: ${result.history.length} epochs, largest loss difference ${largest}`);
const a = readFileSync(path.join(out, 'uninterrupted', WEIGHTS_FILE));
const b = readFileSync(path.join(out, 'resumed', WEIGHTS_FILE));
console.log(
  `${WEIGHTS_FILE}: ${a.equals(b) ? 'identical' : 'different'} (${a.length} bytes) to the uninterrupted run's`,
);
