// model.json's `input` (image shape) and `targetScaler` records: saved, loaded and validated.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, Sequential, StandardScaler, Tensor } from '../../src/index.js';
import { loadModel, saveModel } from '../../src/io/model-dir.js';

async function saved(edit?: (json: Record<string, unknown>) => void): Promise<string> {
  const model = Sequential.mlp({ inputs: 12, hidden: [3], outputs: 2, task: 'regression', seed: 1 });
  model.compile({ loss: 'mse', optimizer: 'sgd' });
  model.input = { kind: 'image', height: 2, width: 2, channels: 3 };
  model.targetScaler = StandardScaler.fit(
    Tensor.from([
      [1, 10],
      [3, 30],
    ]),
  );
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'backprop-input-')), 'm');
  await saveModel(model, dir);
  if (edit) {
    const file = path.join(dir, 'model.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    edit(json);
    writeFileSync(file, JSON.stringify(json));
  }
  return dir;
}

describe('model.json input and targetScaler', () => {
  it('round-trip', async () => {
    const dir = await saved();
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(json.input).toEqual({ kind: 'image', height: 2, width: 2, channels: 3 });
    expect(json.targetScaler).toEqual({ type: 'standard', mean: [2, 20], scale: [1, 10] });
    const model = await loadModel(dir);
    expect(model.input).toEqual({ kind: 'image', height: 2, width: 2, channels: 3 });
    expect(model.targetScaler?.toJSON()).toEqual({ type: 'standard', mean: [2, 20], scale: [1, 10] });
  });

  it('are absent for a model of feature columns', async () => {
    const model = Sequential.mlp({ inputs: 2, hidden: [], outputs: 1, task: 'regression', seed: 1 });
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'backprop-input-')), 'm');
    await saveModel(model, dir);
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect('input' in json || 'targetScaler' in json).toBe(false);
    expect((await loadModel(dir)).input).toBeNull();
  });

  it('are validated against the network', async () => {
    await expect(
      loadModel(await saved((j) => void (j.input = { kind: 'image', height: 3, width: 2, channels: 3 }))),
    ).rejects.toThrow(/input images of 3×2×3 for a network of 12 inputs/);
    await expect(loadModel(await saved((j) => void (j.input = { kind: 'audio' })))).rejects.toThrow(
      /input\.kind must be 'image', got "audio"/,
    );
    await expect(
      loadModel(await saved((j) => void (j.input = { kind: 'image', height: 2, width: 2, channels: 2 }))),
    ).rejects.toThrow(FormatError);
    await expect(
      loadModel(await saved((j) => void (j.targetScaler = { type: 'standard', mean: [0], scale: [1] }))),
    ).rejects.toThrow(/targetScaler must be a standard scaler of 2 outputs/);
  });
});
