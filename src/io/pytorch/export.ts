// The PyTorch export: a self-contained folder with the model (model.json + weights.safetensors), a
// Python builder of the nn.Sequential (model.py) and a DistributedDataParallel training script (train.py).
import path from 'node:path';
import { ConfigError, check } from '../../core/errors.js';
import { Sequential } from '../../model/sequential.js';
import { writeFileAtomic } from '../atomic.js';
import { MODEL_FILE, modelJson, modelWeights, WEIGHTS_FILE } from '../model-dir.js';
import { modelJsonText, writeModelFiles } from '../model-store.js';
import { type OutOptions, prepareDirOut } from '../out-path.js';
import { encodeSafetensors } from '../safetensors.js';
import { MODEL_PY, TRAIN_PY } from './generated/templates.js';

/** The files of a PyTorch export, in the order they are listed in its README.txt. */
export const PYTORCH_FILES = [MODEL_FILE, WEIGHTS_FILE, 'model.py', 'train.py', 'README.txt'] as const;
/** The name of one file of a PyTorch export. */
export type PytorchFile = (typeof PYTORCH_FILES)[number];

/** The first line of README.txt (and the second of each script): marks the files as backprop's own output. */
const OWN_MARK = '# written by backprop';

/**
 * The PyTorch export of a model as file name → bytes:
 * - `model.json` and `weights.safetensors`: the model directory `saveModel` writes, so the folder is
 *   also a backprop model (`backprop eval/predict --model FOLDER`);
 * - `model.py`: builds the `nn.Sequential` ([scaler,] Linear, activation, …), loads the weights
 *   (with the safetensors package where installed, else the standard library) and predicts CSV files;
 * - `train.py`: continues training under `torchrun` with DistributedDataParallel and writes a backprop
 *   model directory;
 * - `README.txt`: how to run both.
 *
 * @example
 * const files = toPytorch(model);
 * new TextDecoder().decode(files.get('model.py')); // the Python source
 */
export function toPytorch(model: Sequential): Map<PytorchFile, Uint8Array> {
  check(
    model instanceof Sequential,
    ConfigError,
    () => `toPytorch: expected a Sequential model, got ${describe(model)}`,
  );
  const text = new TextEncoder();
  const weights = encodeSafetensors(modelWeights(model), { format: 'pt' });
  return new Map<PytorchFile, Uint8Array>([
    [MODEL_FILE, text.encode(modelJsonText(modelJson(model), weights))],
    [WEIGHTS_FILE, weights],
    ['model.py', text.encode(MODEL_PY)],
    ['train.py', text.encode(TRAIN_PY)],
    ['README.txt', text.encode(readme(model))],
  ]);
}

/**
 * Writes the PyTorch export of `model` into the folder `dir`: the model directory (saved as
 * saveModel saves it, crash-safe) and the three text files, each written atomically. The folder's
 * other files are left alone; a folder holding files backprop did not write is refused unless
 * `overwrite` (see prepareDirOut). Returns the paths written.
 *
 * @example
 * await writePytorchExport(model, 'exports/iris'); // then: python3 exports/iris/model.py --data iris.csv
 */
export async function writePytorchExport(model: Sequential, dir: string, options: OutOptions = {}): Promise<string[]> {
  check(
    typeof dir === 'string' && dir.trim() !== '',
    ConfigError,
    () => `writePytorchExport: the output folder must be a non-empty path, got ${JSON.stringify(dir)}`,
  );
  const files = toPytorch(model);
  await prepareDirOut(dir, { what: 'the PyTorch export', files: PYTORCH_FILES }, options);
  await writeModelFiles(dir, modelJson(model), files.get(WEIGHTS_FILE)!);
  for (const name of ['model.py', 'train.py', 'README.txt'] as const)
    await writeFileAtomic(path.join(dir, name), files.get(name)!);
  return [...files.keys()].map((name) => path.join(dir, name));
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  return value.constructor?.name ?? 'an object';
}

/** README.txt: what the folder holds and the commands that use it. */
function readme(model: Sequential): string {
  const sizes = [
    model.network.inputFeatures,
    ...model.network
      .parameters()
      .filter((p) => p.name.endsWith('.bias'))
      .map((p) => p.value.size),
  ];
  const targets = model.targetNames?.join(',') ?? 'TARGET';
  return `${OWN_MARK}\nPyTorch export of a backprop model: ${sizes.join('-')}, task ${model.task ?? 'none'}${model.scaler ? `, ${model.scaler.type} scaler` : ''}.

Files
  model.json           the backprop model (architecture, task, loss, labels, scaler, training record)
  weights.safetensors  float32 tensors layers.{i}.weight [out, in] and layers.{i}.bias [out]
  model.py             builds the nn.Sequential ([scaler,] Linear, activation, ...) and loads the weights
  train.py             continues training with DistributedDataParallel under torchrun

This folder is itself a backprop model directory: backprop eval/predict --model <this folder>.
Needs PyTorch 1.13 or later; the safetensors package is used when installed, not required.

Predict (writes the CSV that backprop predict writes):
  python3 model.py --data FILE.csv --out predictions.csv

In Python:
  import sys; sys.path.insert(0, "<this folder>")
  import model
  net, config = model.load("<this folder>")   # nn.Sequential in eval mode; raw feature rows in
  outputs = net(torch.tensor(rows, dtype=torch.float32))

Continue training on 2 processes (gloo on CPU, nccl on CUDA GPUs), writing a backprop model directory:
  torchrun --standalone --nproc_per_node 2 train.py --data FILE.csv --epochs 10 --batch-size 32 --out DIR2
  backprop eval --model DIR2 --data FILE.csv
The loss, optimiser and hyper-parameters default to the model's own (python3 train.py --help lists
them); the target column(s) default to ${targets}. Debian's torchrun 1.13 on Python 3.11 crashes
parsing its own default --redirects 0: add --redirects 2 --tee 2 after torchrun.
`;
}
