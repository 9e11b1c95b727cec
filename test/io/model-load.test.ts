// Loading untrusted model directories and IDX files: each bad field named, nothing allocated that the
// file does not hold, no reading of FIFOs or devices.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/core/errors.js';
import { readIdx, readIdxSync } from '../../src/data/idx.js';
import { StandardScaler } from '../../src/data/scaler.js';
import { loadModel, modelFromParts, modelJson, modelWeights, saveModel } from '../../src/io/model-dir.js';
import { Sequential } from '../../src/model/sequential.js';

const dir = mkdtempSync(join(tmpdir(), 'backprop-load-'));

function model(): Sequential {
  const m = Sequential.mlp({ inputs: 4, hidden: [6], outputs: 3, task: 'classification', seed: 1 });
  m.compile({ loss: 'cce' });
  m.labels = ['a', 'b', 'c'];
  m.scaler = new StandardScaler([0, 0, 0, 0], [1, 1, 1, 1]);
  return m;
}

describe('model.json fields', () => {
  const m = model();
  const weights = modelWeights(m);
  /** modelFromParts on model.json with `edit` applied. */
  const load = (edit: (j: Record<string, any>) => void): Sequential => {
    const j = structuredClone(modelJson(m)) as Record<string, any>;
    edit(j);
    return modelFromParts(j, weights, { source: 'models/x' });
  };
  const cases: [string, (j: Record<string, any>) => void, RegExp][] = [
    [
      'labels not an array',
      (j) => (j.labels = 5),
      /^models\/x: model\.json: labels must be an array of strings or finite numbers or null, got 5$/,
    ],
    [
      'a label that is an object',
      (j) => (j.labels = ['a', {}, 'c']),
      /labels must be an array of strings or finite numbers or null, got \["a",\{\},"c"\]/,
    ],
    [
      'featureNames with a number',
      (j) => (j.featureNames = ['a', 1]),
      /model\.json: featureNames must be an array of strings or null/,
    ],
    [
      'a label listed twice (two output units, one class)',
      (j) => (j.labels = [0.5, 0.5, 1]),
      /model\.json: labels lists 0\.5 twice; entries must be distinct/,
    ],
    [
      'a feature name listed twice',
      (j) => (j.featureNames = ['a', 'b', 'a', 'c']),
      /model\.json: featureNames lists "a" twice/,
    ],
    [
      'an unknown task',
      (j) => (j.task = 'ranking'),
      /model\.json: task must be one of classification, multilabel, regression or null, got "ranking"/,
    ],
    ['an unknown loss', (j) => (j.loss = 'hinge'), /model\.json: loss must be one of .* or null, got "hinge"/],
    [
      'an unknown activation',
      (j) => (j.architecture.layers[0].activation = 'swish'),
      /model\.json: architecture\.layers\[0\]\.activation must be one of .*relu.*, got "swish"/,
    ],
    [
      'a fractional layer width',
      (j) => (j.architecture.layers[0].outFeatures = 6.5),
      /model\.json: architecture\.layers\[0\]\.outFeatures must be a positive integer, got 6\.5/,
    ],
    [
      'an unknown layer type',
      (j) => (j.architecture.layers[1].type = 'conv'),
      /model\.json: architecture\.layers\[1\]\.type must be dense, activation or dropout, got "conv"/,
    ],
    [
      'a scaler with a negative scale',
      (j) => (j.scaler.scale = [1, -1, 1, 1]),
      /model\.json: scaler: StandardScaler: means must be finite and scales finite and > 0/,
    ],
    [
      'a scaler with text',
      (j) => (j.scaler.mean = [0, 'x', 0, 0]),
      /model\.json: scaler\.mean must be an array of finite numbers, got \[0,"x",0,0\]/,
    ],
    [
      'a negative huberDelta',
      (j) => ((j.loss = 'huber'), (j.huberDelta = -1)),
      /model\.json: huberDelta must be a number > 0 or null, got -1/,
    ],
    [
      'training not an object',
      (j) => (j.training = 'fast'),
      /model\.json: training must be an object or null, got "fast"/,
    ],
    [
      'a huge layer no weights back (checked before allocating)',
      (j) => {
        j.architecture.layers[0].outFeatures = 1e9;
        j.architecture.layers[1].inFeatures = 1e9;
      },
      /tensor 'layers\.0\.weight' has shape \[6, 4\], the architecture needs \[1000000000, 4\]/,
    ],
  ];
  for (const [what, edit, message] of cases) {
    it(`rejects ${what}`, () => {
      expect(() => load(edit)).toThrow(FormatError);
      expect(() => load(edit)).toThrow(message);
    });
  }
});

describe('model directory files', () => {
  beforeAll(async () => {
    await saveModel(model(), join(dir, 'm'));
  });

  it('a FIFO in place of weights.safetensors is refused, not read', async () => {
    const d = join(dir, 'fifo-model');
    await saveModel(model(), d);
    execFileSync('rm', [join(d, 'weights.safetensors')]);
    execFileSync('mkfifo', [join(d, 'weights.safetensors')]);
    await expect(loadModel(d)).rejects.toThrow(/weights\.safetensors is a FIFO \(named pipe\), not a regular file/);
  });

  it('a directory in place of model.json is refused', async () => {
    const d = join(dir, 'dir-model');
    await saveModel(model(), d);
    execFileSync('rm', [join(d, 'model.json')]);
    execFileSync('mkdir', [join(d, 'model.json')]);
    await expect(loadModel(d)).rejects.toThrow(/model\.json is a directory, not a regular file/);
  });
});

describe('IDX headers against the file size', () => {
  /** A header of `dims` followed by only `data` bytes. */
  const idx = (dims: number[], data: number[]): Uint8Array => {
    const b = new Uint8Array(4 + 4 * dims.length + data.length);
    const v = new DataView(b.buffer);
    b[2] = 8;
    b[3] = dims.length;
    dims.forEach((d, i) => v.setUint32(4 + 4 * i, d));
    b.set(data, 4 + 4 * dims.length);
    return b;
  };
  const write = (name: string, bytes: Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const noAllocation = (n: number): Uint8Array => {
    throw new Error(`allocated ${n} bytes`);
  };

  it('a plain file announcing 60000x28x28 images in 19 bytes is refused before allocating', async () => {
    const path = write('liar.idx', idx([60000, 28, 28], [1, 2, 3]));
    const message =
      /read IDX .*liar\.idx: file is truncated: expected 47040016 bytes \(header 16 \+ 60000x28x28 data\), got 19/;
    expect(() => readIdxSync(path, { allocate: noAllocation })).toThrow(message);
    await expect(readIdx(path, { allocate: noAllocation })).rejects.toThrow(message);
  });

  it('a gzip file announcing more than deflate can inflate to is refused before allocating', async () => {
    const gz = gzipSync(idx([2000, 1000, 1000], [1, 2, 3]));
    const path = write('liar.idx.gz', gz);
    const message = new RegExp(
      `dimensions 2000x1000x1000 announce 2000000016 bytes, more than ${gz.length * 1032} \\(what the compressed file can inflate to\\)`,
    );
    expect(() => readIdxSync(path, { allocate: noAllocation })).toThrow(message);
    await expect(readIdx(path, { allocate: noAllocation })).rejects.toThrow(message);
  });

  it('a FIFO or a device is refused, not streamed', async () => {
    const fifo = join(dir, 'pipe.idx');
    execFileSync('mkfifo', [fifo]);
    expect(() => readIdxSync(fifo)).toThrow(
      /read IDX .*pipe\.idx: the file is a FIFO \(named pipe\), not a regular file/,
    );
    await expect(readIdx(fifo)).rejects.toThrow(
      /read IDX .*pipe\.idx: the file is a FIFO \(named pipe\), not a regular file/,
    );
    await expect(readIdx('/dev/zero')).rejects.toThrow(
      /read IDX \/dev\/zero: the file is a character device, not a regular file/,
    );
  });
});
