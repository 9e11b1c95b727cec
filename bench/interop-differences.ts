// How far ONNX Runtime's and TensorFlow.js's predictions are from backprop's on the exported models,
// and how far backprop's import of the PyTorch fixtures is from PyTorch: the figures of
// docs/interop.md. Run: npx tsx bench/interop-differences.ts
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromOnnx, fromTfjs, loadTfjs, saveTfjs, Tensor, toOnnx, toTfjs } from '../src/node.js';
import {
  features,
  HIDDEN_ACTIVATIONS,
  runOnnx,
  SCALERS,
  TASKS_UNDER_TEST,
  testModel,
} from '../test/io/onnx-helpers.js';
import { loadWithTfjs, predictWithTfjs } from '../test/io/tfjs-helpers.js';

interface Worst {
  ofLargest: number;
  absolute: number;
  model: string;
}
const table: Record<string, Worst> = {};

/** Records max|a − b| / max|b| and max|a − b| of one model's outputs. */
function record(path: string, actual: ArrayLike<number>, expected: ArrayLike<number>, model: string): void {
  let largest = 0,
    absolute = 0;
  for (let i = 0; i < expected.length; i++) {
    largest = Math.max(largest, Math.abs(expected[i]!));
    absolute = Math.max(absolute, Math.abs(actual[i]! - expected[i]!));
  }
  const w = (table[path] ??= { ofLargest: 0, absolute: 0, model: '' });
  if (absolute / largest >= w.ofLargest) Object.assign(w, { ofLargest: absolute / largest, model });
  w.absolute = Math.max(w.absolute, absolute);
}

const x = features(200, 7);
for (const task of TASKS_UNDER_TEST) {
  for (const activation of HIDDEN_ACTIVATIONS) {
    for (const scaler of SCALERS) {
      const model = testModel(activation, task, scaler);
      const id = `${task}, hidden ${activation}, scaler ${scaler}`;
      const expected = model.predict(x).data;
      const bytes = toOnnx(model);
      record('onnxruntime-web on toOnnx', await runOnnx(bytes, x), expected, id);
      record('fromOnnx(toOnnx(model))', fromOnnx(bytes).predict(x).data, expected, id);
      const dir = join(mkdtempSync(join(tmpdir(), 'backprop-interop-')), 'tfjs');
      await saveTfjs(model, dir);
      const loaded = await loadWithTfjs(dir);
      record(
        'tf.loadLayersModel on toTfjs',
        predictWithTfjs(loaded, x.data as Float32Array, [...x.shape]),
        expected,
        id,
      );
      loaded.dispose();
      record('loadTfjs(saveTfjs(model))', (await loadTfjs(dir)).predict(x).data, expected, id);
      const { modelJson, weights } = toTfjs(model);
      record('fromTfjs(toTfjs(model))', fromTfjs(modelJson, weights).predict(x).data, expected, id);
    }
  }
}
const fixtures = join(import.meta.dirname, '..', 'test', 'fixtures', 'onnx');
for (const c of (
  JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as {
    cases: { file: string; input_shape: number[]; x: unknown[]; y: number[][] }[];
  }
).cases) {
  const values = Float32Array.from(c.x.flat(Infinity) as number[]);
  const m = c.input_shape[0]!;
  record(
    'fromOnnx on torch.onnx.export vs PyTorch',
    fromOnnx(new Uint8Array(readFileSync(join(fixtures, c.file)))).predict(new Tensor(values, [m, values.length / m]))
      .data,
    c.y.flat(),
    c.file,
  );
}
console.log(
  '45 models (5 hidden activations × 3 tasks × 3 scalers, 5 → 7 → 6 → 3) on 200 rows; largest |Δ| / largest |output|, largest |Δ|',
);
for (const [path, w] of Object.entries(table))
  console.log(
    `${path.padEnd(42)} ${w.ofLargest.toExponential(1).padStart(8)}  ${w.absolute.toExponential(1).padStart(8)}  (${w.model})`,
  );
