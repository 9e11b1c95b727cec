// Property-based fuzzing of every file reader: CSV, IDX, safetensors, model.json and whole model
// directories. Random and mutated inputs give the reader's typed errors, never a hang, a crash or
// an allocation the input's size does not justify (test/helpers/fuzz.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, FormatError } from '../../src/core/errors.js';
import { Tensor } from '../../src/core/tensor.js';
import { featureMatrix, labelColumn, numericTargets, parseCsv, splitColumns } from '../../src/data/csv.js';
import { readIdx, readIdxSync } from '../../src/data/idx.js';
import { checkClassLabels, sortLabels } from '../../src/data/labels.js';
import { StandardScaler } from '../../src/data/scaler.js';
import { loadModel, modelFromParts, modelJson, modelWeights, saveModel } from '../../src/io/model-dir.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { Sequential } from '../../src/model/sequential.js';
import { fuzzReader } from '../helpers/fuzz.js';

const dir = mkdtempSync(join(tmpdir(), 'backprop-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
let fileCount = 0;
const writeTemp = (bytes: Uint8Array): string => {
  const path = join(dir, `in${fileCount++}`);
  writeFileSync(path, bytes);
  return path;
};

describe('fuzzing the readers', () => {
  it('CSV: parse, columns, features, targets and labels give DataErrors only', async () => {
    const seeds = [
      'x1,x2,label\n0.5,1,a\n2,-3e2,b\n"4",5,"a"\n',
      'a;b;y\r\n1.5;2;0\r\n\r\n3;4;1\r\n',
      'a\tb\tc\n1\t2\t3\n4\t5\t6\n',
      'name,"x, cm",y\n"say ""hi""",1,0.5\n"two\nlines",2,1.0\n   \n',
    ].map(utf8);
    await fuzzReader({
      name: 'CSV',
      seeds,
      errors: [DataError],
      tokens: ['1e300', '1e39', '-4e38', '"', '""', ',', ';', '\t', '\n', '\r\n', ' ', '1,5', 'a', '0.50', '1.0'],
      read: (bytes) => {
        const t = parseCsv(new TextDecoder().decode(bytes), 'fuzz.csv');
        const columns = splitColumns(t);
        const x = featureMatrix(t, columns);
        const y = numericTargets(t, columns);
        const labels = sortLabels(labelColumn(t, columns));
        checkClassLabels(labels, t.rowCount, t.source, columns.targetNames[0]!);
        for (let r = 0; r < t.rowCount; r++) expect(t.rowNumber(r)).toBeGreaterThan(1);
        return { x, y };
      },
      check: ({ x, y }) => {
        expect(x.data.every(Number.isFinite) && y.data.every(Number.isFinite)).toBe(true);
      },
    });
  });

  const images = (() => {
    const header = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 2]);
    return Uint8Array.from([...header, ...Array.from({ length: 12 }, (_, i) => i * 20)]);
  })();
  const labels = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 4, 9, 8, 7, 6]);

  it('IDX (sync and streamed, plain and gzip): FormatErrors only, no allocation beyond the file', async () => {
    let allocated = 0;
    const allocate = (n: number): Uint8Array => {
      allocated = n;
      return new Uint8Array(n);
    };
    await fuzzReader({
      name: 'IDX',
      seeds: [images, labels, gzipSync(images), gzipSync(labels)],
      errors: [FormatError],
      runs: 200,
      read: async (bytes) => {
        allocated = 0;
        const path = writeTemp(bytes);
        const sync = readIdxSync(path, { allocate });
        const limit = bytes[0] === 0x1f && bytes[1] === 0x8b ? 1032 * bytes.length : bytes.length;
        expect(allocated).toBeLessThanOrEqual(limit);
        const streamed = await readIdx(path, { allocate });
        expect(streamed.dims).toEqual(sync.dims);
        expect(Array.from(streamed.data)).toEqual(Array.from(sync.data));
        return sync;
      },
      check: (r) => expect(r.data.length).toBe(r.dims.reduce((a, b) => a * b, 1)),
    });
  });

  const tensors = {
    'layers.0.weight': Tensor.from([1, -2, 3.5, 4, 5, 6], [3, 2]),
    'layers.0.bias': Tensor.from([0.5, 0, -1], [3]),
    'layers.1.weight': new Tensor(new Float64Array([1, 2, 3]), [1, 3]),
  };

  it('safetensors: FormatErrors only, tensors never larger than the file justifies', async () => {
    await fuzzReader({
      name: 'safetensors',
      seeds: [
        encodeSafetensors(tensors, { format: 'pt' }),
        encodeSafetensors({}),
        encodeSafetensors({ a: Tensor.from([1], [1, 1, 1]) }),
      ],
      errors: [FormatError],
      read: (bytes) => decodeSafetensors(bytes, 'fuzz.safetensors'),
      check: (r, bytes) => {
        // F16 / BF16 widen to float32: at most twice the file.
        const held = Object.values(r.tensors).reduce((s, t) => s + t.data.byteLength, 0);
        expect(held).toBeLessThanOrEqual(2 * bytes.length);
      },
    });
  });

  function smallModel(): Sequential {
    const model = Sequential.mlp({ inputs: 2, hidden: [3], outputs: 2, task: 'classification', seed: 1 });
    model.compile({ loss: 'cce' });
    model.labels = ['no', 0.5];
    model.featureNames = ['a', 'b'];
    model.targetNames = ['y'];
    model.scaler = new StandardScaler([0, 1], [1, 2]);
    return model;
  }

  it('model.json: any JSON value at any field gives a FormatError naming model.json, or a model', () => {
    const model = smallModel();
    const json = modelJson(model);
    const weights = modelWeights(model);
    const replacement = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(null, -1, 0, 1e9, 1e300, 0.5, '', 'dense', 'relu', [], {}),
    );
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), replacement, (path, value) => {
        const mutated = structuredClone(json) as unknown;
        // Walk a random path of existing keys, then replace the value there.
        let node = mutated as Record<string, unknown>;
        for (let i = 0; i < path.length; i++) {
          const keys = Object.keys(node);
          if (keys.length === 0) break;
          const key = keys[path[i]! % keys.length]!;
          const child = node[key];
          if (i === path.length - 1 || typeof child !== 'object' || child === null) {
            node[key] = value;
            break;
          }
          node = child as Record<string, unknown>;
        }
        try {
          const m = modelFromParts(mutated, weights, { source: 'fuzz-model' });
          expect(m.network.outputFeatures).toBeGreaterThan(0);
        } catch (e) {
          if (!(e instanceof FormatError))
            throw new Error(
              `untyped ${(e as Error).name}: ${(e as Error).message} for ${JSON.stringify(mutated).slice(0, 300)}`,
            );
          expect(e.message).toMatch(/^fuzz-model: /);
        }
      }),
      { seed: 1, numRuns: 400 },
    );
  });

  describe('model directories', () => {
    const model = smallModel();
    const json = new TextEncoder().encode(JSON.stringify(modelJson(model)));
    const weights = encodeSafetensors(modelWeights(model), { format: 'pt' });
    let n = 0;
    /** A saved model directory with one of its files replaced by `bytes`, loaded. */
    const loadWith = async (file: 'model.json' | 'weights.safetensors', bytes: Uint8Array): Promise<Sequential> => {
      const d = join(dir, `model${n++}`);
      await saveModel(model, d);
      writeFileSync(join(d, file), bytes);
      return loadModel(d);
    };
    const finiteWeights = (m: Sequential): void => {
      for (const p of m.parameters()) expect(p.value.data.every(Number.isFinite)).toBe(true);
    };

    it('mutated model.json gives FormatErrors', () =>
      fuzzReader({
        name: 'model.json',
        seeds: [json],
        errors: [FormatError],
        runs: 150,
        tokens: ['null', '-1', '1e9', '"x"', '[]', '{}', '0.5'],
        read: (b) => loadWith('model.json', b),
        check: finiteWeights,
      }));

    it('mutated weights.safetensors gives FormatErrors; loaded weights are finite (NaN and Infinity are rejected)', () =>
      fuzzReader({
        name: 'weights.safetensors',
        seeds: [weights],
        errors: [FormatError],
        runs: 150,
        read: (b) => loadWith('weights.safetensors', b),
        check: finiteWeights,
      }));

    it('a NaN or ±Infinity anywhere in the weights is rejected, naming the tensor and index', async () => {
      const dataStart = weights.length - Object.values(modelWeights(model)).reduce((s, t) => s + t.data.byteLength, 0);
      const values = (weights.length - dataStart) / 4;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: values - 1 }),
          fc.constantFrom(NaN, Infinity, -Infinity),
          async (k, v) => {
            const bad = Uint8Array.from(weights);
            new DataView(bad.buffer).setFloat32(dataStart + 4 * k, v, true);
            await expect(loadWith('weights.safetensors', bad)).rejects.toThrow(
              /weights file: tensor 'layers\.\d\.(weight|bias)' holds (NaN|-?Infinity) at index \d+; weights must be finite/,
            );
          },
        ),
        { seed: 1, numRuns: 30 },
      );
    });
  });
});
