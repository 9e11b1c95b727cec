// The PyTorch export without Python: which files, what they hold, the atomic write and bad input.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_PY, TRAIN_PY } from '../../src/io/pytorch/generated/templates.js';
import {
  ConfigError,
  decodeSafetensors,
  loadModel,
  modelJson,
  PYTORCH_FILES,
  Sequential,
  StandardScaler,
  saveModel,
  Tensor,
  toPytorch,
  writePytorchExport,
} from '../../src/node.js';

const templates = join(import.meta.dirname, '..', '..', 'src', 'io', 'pytorch', 'templates');

function irisLikeModel(): Sequential {
  const model = Sequential.mlp({
    inputs: 4,
    hidden: [6],
    outputs: 3,
    task: 'classification',
    activation: 'tanh',
    seed: 3,
  });
  model.labels = ['setosa', 'versicolor', 'virginica'];
  model.featureNames = ['a', 'b', 'c', 'd'];
  model.targetNames = ['species'];
  model.scaler = StandardScaler.fit(
    Tensor.from([
      [1, 2, 3, 4],
      [2, 3, 5, 9],
      [0, 1, 1, 1],
    ]),
  );
  model.trainingConfig = { optimizer: 'adam', lr: 0.01 };
  return model;
}

describe('toPytorch', () => {
  it('returns model.json, weights.safetensors, model.py, train.py and README.txt', () => {
    const files = toPytorch(irisLikeModel());
    expect([...files.keys()]).toEqual([...PYTORCH_FILES]);
    expect(PYTORCH_FILES).toEqual(['model.json', 'weights.safetensors', 'model.py', 'train.py', 'README.txt']);
    for (const bytes of files.values()) expect(bytes.length).toBeGreaterThan(0);
  });

  it('writes the same model.json and weights as saveModel, so the folder is a backprop model', async () => {
    const model = irisLikeModel();
    const files = toPytorch(model);
    const json = JSON.parse(new TextDecoder().decode(files.get('model.json')));
    const { weightsSha256, ...described } = json;
    expect(described).toEqual(JSON.parse(JSON.stringify(modelJson(model))));
    expect(weightsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(json.scaler.type).toBe('standard');
    expect(json.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    const { tensors, metadata } = decodeSafetensors(files.get('weights.safetensors')!);
    expect(Object.keys(tensors).sort()).toEqual([
      'layers.0.bias',
      'layers.0.weight',
      'layers.1.bias',
      'layers.1.weight',
    ]);
    expect(tensors['layers.0.weight']!.shape).toEqual([6, 4]);
    expect(tensors['layers.1.bias']!.shape).toEqual([3]);
    expect([...tensors['layers.0.weight']!.data]).toEqual([...model.parameters()[0]!.value.data]);
    expect(metadata).toEqual({ format: 'pt' });

    const dir = mkdtempSync(join(tmpdir(), 'backprop-pt-'));
    await saveModel(model, join(dir, 'saved'));
    expect(files.get('model.json')).toEqual(new Uint8Array(readFileSync(join(dir, 'saved', 'model.json'))));
    expect(files.get('weights.safetensors')).toEqual(
      new Uint8Array(readFileSync(join(dir, 'saved', 'weights.safetensors'))),
    );
  });

  it('embeds the Python sources of src/io/pytorch/templates (rerun node scripts/pytorch-templates.mjs when this fails)', () => {
    expect(MODEL_PY).toBe(readFileSync(join(templates, 'model.py'), 'utf8'));
    expect(TRAIN_PY).toBe(readFileSync(join(templates, 'train.py'), 'utf8'));
    const files = toPytorch(irisLikeModel());
    expect(new TextDecoder().decode(files.get('model.py'))).toBe(MODEL_PY);
    expect(new TextDecoder().decode(files.get('train.py'))).toBe(TRAIN_PY);
    expect(MODEL_PY).toMatch(
      /^#!\/usr\/bin\/env python3\n# written by backprop\n"""A backprop model as a PyTorch nn.Sequential/,
    );
    expect(TRAIN_PY).toMatch(/DistributedDataParallel/);
    expect(TRAIN_PY).toMatch(/--redirects 2 --tee 2/);
  });

  it('describes the model and the commands in README.txt', () => {
    const readme = new TextDecoder().decode(toPytorch(irisLikeModel()).get('README.txt'));
    expect(readme).toMatch(
      /^# written by backprop\nPyTorch export of a backprop model: 4-6-3, task classification, standard scaler\./,
    );
    expect(readme).toMatch(/torchrun --standalone --nproc_per_node 2 train\.py --data FILE\.csv/);
    expect(readme).toMatch(/--redirects 2 --tee 2/);
    expect(readme).toMatch(/default to species/);
  });

  it('rejects what is not a Sequential model', () => {
    expect(() => toPytorch({} as Sequential)).toThrow(ConfigError);
    expect(() => toPytorch(null as unknown as Sequential)).toThrow(/toPytorch: expected a Sequential model, got null/);
    expect(() => toPytorch({ network: {} } as unknown as Sequential)).toThrow(
      /toPytorch: expected a Sequential model, got Object/,
    );
  });
});

describe('writePytorchExport', () => {
  it('writes the files into the folder, replacing an older export only when complete, and backprop loads it', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'backprop-pt-')), 'export');
    const model = irisLikeModel();
    const written = await writePytorchExport(model, dir);
    expect(written).toEqual(PYTORCH_FILES.map((f) => join(dir, f)));
    expect(readdirSync(dir).sort()).toEqual([...PYTORCH_FILES].sort());
    const other = Sequential.mlp({ inputs: 4, hidden: [], outputs: 1, task: 'regression', seed: 1 });
    await writePytorchExport(other, dir);
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).task).toBe('regression');
    expect(readdirSync(join(dir, '..'))).toEqual(['export']); // no temporary or old folder left behind
    const loaded = await loadModel(dir);
    expect(loaded.network.outputFeatures).toBe(1);
  });

  it('rejects an empty output path before writing anything', async () => {
    await expect(writePytorchExport(irisLikeModel(), '')).rejects.toThrow(
      /writePytorchExport: the output folder must be a non-empty path, got ""/,
    );
    await expect(writePytorchExport(irisLikeModel(), '  ')).rejects.toThrow(ConfigError);
  });
});
