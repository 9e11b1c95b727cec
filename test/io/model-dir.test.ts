// Saving and loading model directories: exact round trips, PyTorch-written weights, corrupt files.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng, Sequential, StandardScaler, Tensor } from '../../src/index.js';
import { loadModel, saveModel } from '../../src/io/model-dir.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { expectAllClose, flat } from '../helpers/allclose.js';

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'backprop-io-'));

function trainedModel(): { model: Sequential; x: Tensor } {
  const rng = new Rng(1);
  const x = Tensor.from(
    Array.from({ length: 40 * 4 }, () => rng.normal() * 3 + 1),
    [40, 4],
  );
  const y = Tensor.zeros([40, 3]);
  for (let r = 0; r < 40; r++) y.data[r * 3 + (x.data[r * 4]! > 1 ? 0 : x.data[r * 4 + 1]! > 1 ? 1 : 2)] = 1;
  const model = Sequential.mlp({
    inputs: 4,
    hidden: [6, 5],
    outputs: 3,
    task: 'classification',
    activation: 'leaky_relu',
    dropout: 0.1,
    seed: 1,
  });
  model.compile({ loss: 'cce', optimizer: 'adam' });
  model.scaler = StandardScaler.fit(x);
  model.labels = ['cat', 'dog', 'bird'];
  model.featureNames = ['a', 'b', 'c', 'd'];
  model.targetNames = ['animal'];
  model.fit(x, y, { epochs: 3, batchSize: 8, seed: 1 });
  return { model, x };
}

describe('model directory', () => {
  it('round-trips exactly: weights, architecture, labels, scaler, predictions', async () => {
    const { model, x } = trainedModel();
    const dir = path.join(tmp(), 'model');
    await saveModel(model, dir);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.safetensors']);
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(json).toMatchObject({
      format: 'backprop-model',
      formatVersion: 1,
      task: 'classification',
      loss: 'categorical_crossentropy',
      labels: ['cat', 'dog', 'bird'],
    });
    expect(json.architecture.layers.map((l: { type: string }) => l.type)).toEqual([
      'dense',
      'dropout',
      'dense',
      'dropout',
      'dense',
    ]);
    const loaded = await loadModel(dir);
    model
      .parameters()
      .forEach((p, i) => expect(Array.from(loaded.parameters()[i]!.value.data)).toEqual(Array.from(p.value.data)));
    expect(Array.from(loaded.predict(x).data)).toEqual(Array.from(model.predict(x).data));
    expect(loaded.labels).toEqual(['cat', 'dog', 'bird']);
    expect(loaded.scaler?.toJSON()).toEqual(model.scaler!.toJSON());
  });

  it('names tensors layers.{i}.weight [out, in] and layers.{i}.bias [out]', async () => {
    const { model } = trainedModel();
    const dir = path.join(tmp(), 'm');
    await saveModel(model, dir);
    const { tensors, metadata } = decodeSafetensors(readFileSync(path.join(dir, 'weights.safetensors')));
    expect(Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.shape]))).toEqual({
      'layers.0.weight': [6, 4],
      'layers.0.bias': [6],
      'layers.1.weight': [5, 6],
      'layers.1.bias': [5],
      'layers.2.weight': [3, 5],
      'layers.2.bias': [3],
    });
    expect(metadata).toEqual({ format: 'pt' });
  });

  it('loads a directory whose weights PyTorch wrote, and predicts what PyTorch predicts', async () => {
    const dir = new URL('../fixtures/torch_model/', import.meta.url).pathname;
    const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8'));
    const model = await loadModel(dir);
    const p = model.predict(Tensor.from(expected.x));
    expectAllClose(p.data, flat(expected.probabilities), 1e-5, 1e-6, 'probabilities');
  });

  it('replaces an existing model only when the new one is complete, leaving no temporary files', async () => {
    const { model } = trainedModel();
    const parent = tmp();
    const dir = path.join(parent, 'model');
    await saveModel(model, dir);
    await saveModel(model, dir);
    expect(readdirSync(parent)).toEqual(['model']);
  });

  const corrupt: [string, (dir: string) => void, RegExp][] = [
    ['a missing directory', (d) => void d, /does not exist/],
    [
      'a missing model.json',
      (d) => {
        cpSync(path.join(d, '..', 'good', 'weights.safetensors'), path.join(d, 'weights.safetensors'));
      },
      /has no model\.json/,
    ],
    [
      'corrupt JSON',
      (d) => {
        cpSync(path.join(d, '..', 'good'), d, { recursive: true });
        writeFileSync(path.join(d, 'model.json'), '{"format": "backprop-mo');
      },
      /not valid JSON/,
    ],
    [
      'a missing weights file',
      (d) => {
        cpSync(path.join(d, '..', 'good', 'model.json'), path.join(d, 'model.json'));
      },
      /has no weights\.safetensors/,
    ],
    [
      'truncated weights',
      (d) => {
        cpSync(path.join(d, '..', 'good'), d, { recursive: true });
        const w = readFileSync(path.join(d, 'weights.safetensors'));
        writeFileSync(path.join(d, 'weights.safetensors'), w.subarray(0, w.length - 10));
      },
      /truncated|covers|ends at byte/,
    ],
    [
      'a header that lies about a shape',
      (d) => {
        cpSync(path.join(d, '..', 'good'), d, { recursive: true });
        const w = readFileSync(path.join(d, 'weights.safetensors'));
        const n = Number(w.readBigUInt64LE(0));
        const header = w
          .subarray(8, 8 + n)
          .toString()
          .replace('"shape":[6,4]', '"shape":[7,4]');
        writeFileSync(
          path.join(d, 'weights.safetensors'),
          Buffer.concat([w.subarray(0, 8), Buffer.from(header), w.subarray(8 + n)]),
        );
      },
      /needs 112 bytes but its offsets/,
    ],
    [
      'a header length beyond the file',
      (d) => {
        cpSync(path.join(d, '..', 'good'), d, { recursive: true });
        const w = readFileSync(path.join(d, 'weights.safetensors'));
        w.writeBigUInt64LE(BigInt(1e12), 0);
        writeFileSync(path.join(d, 'weights.safetensors'), w);
      },
      /header length 1000000000000 exceeds the file/,
    ],
    [
      'an architecture that does not match the weights',
      (d) => {
        cpSync(path.join(d, '..', 'good'), d, { recursive: true });
        const j = JSON.parse(readFileSync(path.join(d, 'model.json'), 'utf8'));
        j.architecture.layers[0].outFeatures = 7;
        j.architecture.layers[2].inFeatures = 7;
        writeFileSync(path.join(d, 'model.json'), JSON.stringify(j));
      },
      /'layers\.0\.weight' has shape \[6, 4\], the architecture needs \[7, 4\]/,
    ],
    [
      'an unknown format version',
      (d) => {
        cpSync(path.join(d, '..', 'good'), d, { recursive: true });
        const j = JSON.parse(readFileSync(path.join(d, 'model.json'), 'utf8'));
        j.formatVersion = 99;
        writeFileSync(path.join(d, 'model.json'), JSON.stringify(j));
      },
      /format version 99 is not supported/,
    ],
  ];
  for (const [what, make, message] of corrupt) {
    it(`rejects ${what}`, async () => {
      const parent = tmp();
      await saveModel(trainedModel().model, path.join(parent, 'good'));
      const dir = path.join(parent, 'bad');
      if (what !== 'a missing directory') mkdirSync(dir);
      make(dir);
      await expect(loadModel(dir)).rejects.toThrow(message);
    });
  }
});

describe('safetensors codec', () => {
  it('round-trips float32 and float64 tensors exactly and aligns the data to 8 bytes', () => {
    const a = Tensor.from([1.5, -2, 3e-8, 7], [2, 2]);
    const b = Tensor.from([Math.PI, Math.E], [2], 'float64');
    const bytes = encodeSafetensors({ b, a });
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
    const { tensors } = decodeSafetensors(bytes);
    expect(tensors.a!.dtype).toBe('float32');
    expect(Array.from(tensors.a!.data)).toEqual(Array.from(a.data));
    expect(Array.from(tensors.b!.data)).toEqual([Math.PI, Math.E]);
  });

  it('rejects overlapping offsets and unsupported dtypes', () => {
    const enc = (header: object, dataBytes: number): Uint8Array => {
      const h = new TextEncoder().encode(JSON.stringify(header));
      const out = new Uint8Array(8 + h.length + dataBytes);
      new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
      out.set(h, 8);
      return out;
    };
    expect(() =>
      decodeSafetensors(
        enc(
          {
            a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
            b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
          },
          12,
        ),
      ),
    ).toThrow(/starts at byte 4, expected 8/);
    expect(() => decodeSafetensors(enc({ a: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, 8))).toThrow(
      /unsupported dtype "I64"/,
    );
    expect(() => decodeSafetensors(new Uint8Array(5))).toThrow(/too short/);
  });
});
