// Export a trained model to ONNX, TensorFlow.js and PyTorch, then check that the files predict what
// the model predicts: the ONNX file read back into backprop and run by ONNX Runtime (onnxruntime-web),
// the tfjs model read back into backprop. ONNX Runtime is not a dependency of backprop: a project
// running this installs it (`npm install onnxruntime-web`); this repository has it for its tests.
//
//   npx tsx examples/export.ts [epochs] [out-dir]
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  featureMatrix,
  labelColumn,
  loadOnnx,
  loadTfjs,
  oneHot,
  Rng,
  readCsvFile,
  Sequential,
  StandardScaler,
  saveOnnx,
  saveTfjs,
  sortLabels,
  splitColumns,
  type Tensor,
  writePytorchExport,
} from 'backprop/node';
import * as ort from 'onnxruntime-web';

const epochs = Number(process.argv[2] ?? 100);
const out = process.argv[3] ?? mkdtempSync(path.join(tmpdir(), 'backprop-export-'));

// Iris: four measurements → the species, standardised inputs (the scaler travels with the model).
const table = readCsvFile(fileURLToPath(new URL('../data/iris.csv', import.meta.url)));
const columns = splitColumns(table, ['species']);
const species = labelColumn(table, columns);
const labels = sortLabels(species);
const order = new Rng(1).permutation(table.rowCount);
const x = featureMatrix(table, columns).gatherRows(order);
const y = oneHot(species, labels, table.source, 'species').gatherRows(order);

const model = Sequential.mlp({
  inputs: 4,
  hidden: [16],
  outputs: labels.length,
  task: 'classification',
  activation: 'relu',
  seed: 1,
});
model.scaler = StandardScaler.fit(x);
model.labels = labels;
model.featureNames = columns.featureNames;
model.targetNames = columns.targetNames;
model.compile({ loss: 'categorical_crossentropy', optimizer: { name: 'adam', lr: 0.01 }, metrics: ['accuracy'] });
const { history } = model.fit(x, y, { epochs, batchSize: 16, seed: 1 });
console.log(`trained ${epochs} epochs: accuracy ${history.at(-1)!.accuracy?.toFixed(3)}`);

// The three exports: one .onnx file, a tfjs folder (model.json + weights.bin), a PyTorch folder.
const onnxFile = path.join(out, 'iris.onnx');
const tfjsDir = path.join(out, 'iris-tfjs');
const pytorchDir = path.join(out, 'iris-pytorch');
await saveOnnx(model, onnxFile);
await saveTfjs(model, tfjsDir);
const pytorchFiles = await writePytorchExport(model, pytorchDir);
console.log(`wrote ${onnxFile}, ${tfjsDir}/, ${pytorchDir}/ (${pytorchFiles.map((f) => path.basename(f)).join(', ')})`);

// Every engine gets the raw measurements: the exported graphs include the scaler.
const expected = model.predict(x).data;
const fromOnnx = (await loadOnnx(onnxFile)).predict(x).data;
const fromTfjs = (await loadTfjs(tfjsDir)).predict(x).data;
ort.env.wasm.numThreads = 1;
const session = await ort.InferenceSession.create(onnxFile);
const { output } = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.data), [...x.shape]) });
await session.release();
const fromRuntime = output!.data as Float32Array;

report('ONNX read back into backprop', fromOnnx, expected, x);
report('tfjs read back into backprop', fromTfjs, expected, x);
report('ONNX Runtime (onnxruntime-web)', fromRuntime, expected, x);

// PyTorch, where a python3 has torch: model.py predicts the CSV file (in its own row order) as
// `backprop predict` would, one column per class probability.
const python = ['python3', '/usr/bin/python3'].find(
  (py) => spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0,
);
if (python) {
  const predictions = path.join(out, 'pytorch-predictions.csv');
  const run = spawnSync(python, [path.join(pytorchDir, 'model.py'), '--data', table.source, '--out', predictions], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`model.py failed: ${run.stderr}`);
  const written = readCsvFile(predictions);
  const fromTorch = featureMatrix(written, splitColumns(written, ['species'])).data;
  const inFileOrder = featureMatrix(table, columns);
  report('PyTorch (model.py)', fromTorch, model.predict(inFileOrder).data, inFileOrder);
} else {
  console.log('PyTorch (model.py): no python3 with torch (Debian: apt-get install python3-torch), not run');
}

/** Prints the largest difference between two sets of predictions of the m examples of x. */
function report(what: string, actual: ArrayLike<number>, wanted: ArrayLike<number>, input: Tensor): void {
  let largest = 0;
  for (let i = 0; i < wanted.length; i++) largest = Math.max(largest, Math.abs(actual[i]! - wanted[i]!));
  console.log(`${what}: ${input.shape[0]} examples, largest difference ${largest.toExponential(2)}`);
}
