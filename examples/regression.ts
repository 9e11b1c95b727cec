// Regression with early stopping: an iris flower's petal width from its other three measurements,
// identity output + mean squared error, standardised inputs, training stopped when the validation
// loss stops improving (the best weights are kept).
//
//   npx tsx examples/regression.ts [max-epochs]
import { fileURLToPath } from 'node:url';
import {
  EarlyStopping,
  featureMatrix,
  numericTargets,
  Rng,
  readCsvFile,
  Sequential,
  StandardScaler,
  splitColumns,
} from 'backprop/node';

const maxEpochs = Number(process.argv[2] ?? 500);
const table = readCsvFile(fileURLToPath(new URL('../data/iris.csv', import.meta.url)));
// Target petal_width; the species column is not a number, so it is dropped from the features.
const all = splitColumns(table, ['petal_width']);
const keep = all.featureNames.map((name, j) => (name === 'species' ? -1 : j)).filter((j) => j >= 0);
const columns = {
  ...all,
  featureNames: keep.map((j) => all.featureNames[j]!),
  featureIndex: keep.map((j) => all.featureIndex[j]!),
};
// The file is sorted by species: shuffle (seeded) before holding out the last 20% for validation.
const order = new Rng(1).permutation(table.rowCount);
const x = featureMatrix(table, columns).gatherRows(order);
const y = numericTargets(table, columns).gatherRows(order);

const model = Sequential.mlp({ inputs: 3, hidden: [16], outputs: 1, task: 'regression', activation: 'tanh', seed: 1 });
model.scaler = StandardScaler.fit(x);
model.compile({ loss: 'mse', optimizer: { name: 'adam', lr: 0.01 }, metrics: ['mae', 'r2'] });
const { history, stopReason } = model.fit(x, y, {
  epochs: maxEpochs,
  batchSize: 16,
  validationSplit: 0.2,
  seed: 1,
  callbacks: [new EarlyStopping({ patience: 20 })],
});
const last = history.at(-1)!;
console.log(`${history.length} epochs${stopReason ? ` (${stopReason})` : ''}`);
console.log(
  `last epoch's validation: mse ${last.val_loss?.toFixed(4)}, mae ${last.val_mae?.toFixed(3)} cm, r2 ${last.val_r2?.toFixed(3)}`,
);
