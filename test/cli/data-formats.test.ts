// The command line on data beyond CSV: image folders, Parquet/Arrow/NumPy tables, and the regression
// and evaluation options (--standardize-targets, --stratify, --save-splits).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { npyBytes, zipBytes } from '../../scripts/npy-files.js';
import { Rng, readCsvFile } from '../../src/node.js';
import { grayImage, writeJpeg, writePng } from '../data/image-fixtures.js';
import { cli, cliJson, DATA, scratch } from './helpers.js';

const fast = ['--epochs', '30', '--layers', '8', '--batch-size', '4', '--seed', '1', '--backend', 'js', '--quiet'];

/** DIR/train/<class>/ and DIR/test/<class>/ with dark "night" and bright "day" 6×6 images, one RGB PNG and one JPEG. */
function imageFolder(): string {
  const dir = scratch();
  for (const [split, count] of [
    ['train', 8],
    ['test', 3],
  ] as const) {
    for (let i = 0; i < count; i++) {
      writePng(join(dir, split, 'night', `${i}.png`), 6, 6, grayImage(6, 6, 10 + 3 * i));
      writePng(join(dir, split, 'day', `${i}.png`), 6, 6, grayImage(6, 6, 220 - 3 * i));
    }
  }
  writePng(join(dir, 'train', 'day', 'rgb.png'), 6, 6, new Uint8Array(108).fill(230), 3);
  writeJpeg(join(dir, 'train', 'night', 'photo.jpg'), 6, 6, new Uint8Array(108).fill(20));
  return dir;
}

describe('image folders', () => {
  it('train, predict and eval on DIR/train and DIR/test, with the image shape saved', async () => {
    const data = imageFolder();
    const out = scratch();
    const model = join(out, 'model');
    const r = await cliJson(
      'train',
      '--data',
      data,
      ...fast,
      '--lr',
      '0.02',
      '--dropout',
      '0',
      '--validation-split',
      '0',
      '--color',
      'grayscale',
      '--out',
      model,
      '--report',
      join(out, 'report'),
    );
    expect(r.code, r.err).toBe(0);
    expect((r.json.test as Record<string, number>).accuracy).toBe(1); // bright against dark
    const json = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
    expect(json.input).toEqual({ kind: 'image', height: 6, width: 6, channels: 1 });
    expect(json.labels).toEqual(['day', 'night']);
    expect(json.architecture.inputs).toBe(36);
    const html = readFileSync(join(out, 'report', 'report.html'), 'utf8');
    expect(html).toContain('<title>backprop: ');
    expect(html).not.toContain(`<title>backprop: ${data}`); // the folder's name, not its absolute path

    const predicted = await cli('predict', '--model', model, '--data', join(data, 'test'));
    expect(predicted.code, predicted.err).toBe(0);
    const lines = predicted.out.trim().split('\n');
    expect(lines[0]).toBe('path,label,prob_day,prob_night');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
      'day/0.png,day',
      'day/1.png,day',
      'day/2.png,day',
      'night/0.png,night',
      'night/1.png,night',
      'night/2.png,night',
    ]);
    const one = await cli('predict', '--model', model, '--data', join(data, 'train', 'day', 'rgb.png'));
    expect(one.out.trim().split('\n')[1]).toMatch(/rgb\.png,day,/);

    const evaluated = await cliJson('eval', '--model', model, '--data', data, '--backend', 'js');
    expect(evaluated.code, evaluated.err).toBe(0);
    expect(evaluated.json).toMatchObject({ accuracy: 1, examples: 6 });

    const report = await cli('report', '--model', model, '--data', data, '--out', join(out, 'again'));
    expect(report.code, report.err).toBe(0);
    const again = readFileSync(join(out, 'again', 'report.html'), 'utf8');
    expect(again).toContain('6 of 6 correct');
  }, 60_000);

  it('says what is wrong with a folder', async () => {
    const data = imageFolder();
    const out = join(scratch(), 'm');
    const split = await cli('train', '--data', data, ...fast, '--test-split', '0.2', '--out', out);
    expect(split.code).toBe(1);
    expect(split.err).toMatch(/--test-split does not apply to .*: its test\/ folder is the test set/);
    writePng(join(data, 'train', 'day', 'big.png'), 9, 9, new Uint8Array(81));
    const mixed = await cli('train', '--data', data, ...fast, '--out', out);
    expect(mixed.err).toMatch(/images differ in size .* choose one with --image-size HxW/);
    const resized = await cli('train', '--data', data, ...fast, '--image-size', '4x5', '--out', out);
    expect(resized.code, resized.err).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).input).toEqual({
      kind: 'image',
      height: 4,
      width: 5,
      channels: 3,
    });
    writeFileSync(join(data, 'test', 'day', '0.png'), 'not a png');
    const corrupt = await cli('train', '--data', data, ...fast, '--image-size', '4x5', '--out', out);
    expect(corrupt.err).toMatch(/error: .*test\/day\/0\.png: not a PNG or JPEG file/);
  }, 60_000);
});

describe('table files', () => {
  const iris = readCsvFile(join(DATA, 'iris.csv'));
  const columns = iris.header.map((_, k) => Array.from({ length: iris.rowCount }, (_, r) => iris.row(r)[k]!));

  it('trains on Parquet, Arrow and .npz with the same options as CSV', async () => {
    const dir = scratch();
    const parquet = join(dir, 'iris.parquet');
    writeFileSync(
      parquet,
      new Uint8Array(
        parquetWriteBuffer({
          columnData: iris.header.map((name, k) =>
            k < 4
              ? { name, data: columns[k]!.map(Number), type: 'DOUBLE' as const }
              : { name, data: columns[k]!, type: 'STRING' as const },
          ),
        }),
      ),
    );
    const arrow = join(dir, 'iris.arrow');
    writeFileSync(
      arrow,
      tableToIPC(
        tableFromArrays(
          Object.fromEntries(
            iris.header.map((name, k) => [name, k < 4 ? Float64Array.from(columns[k]!, Number) : columns[k]!]),
          ),
        ),
        'file',
      ),
    );
    const species = [...new Set(columns[4])];
    const npz = join(dir, 'iris.npz');
    writeFileSync(
      npz,
      zipBytes(
        {
          'x.npy': npyBytes(
            Array.from({ length: iris.rowCount * 4 }, (_, i) => Number(columns[i % 4]![Math.floor(i / 4)])),
            [iris.rowCount, 4],
          ),
          'y.npy': npyBytes(
            columns[4]!.map((s) => species.indexOf(s)),
            [iris.rowCount],
            '<i4',
          ),
        },
        true,
      ),
    );
    const accuracies: number[] = [];
    for (const data of [join(DATA, 'iris.csv'), parquet, arrow, npz]) {
      const r = await cliJson(
        'train',
        '--data',
        data,
        ...fast,
        '--standardize',
        '--test-split',
        '0.2',
        '--out',
        join(dir, 'm'),
      );
      expect(r.code, r.err).toBe(0);
      const { accuracy } = r.json.test as Record<string, number>;
      expect(accuracy).toBeGreaterThan(0);
      accuracies.push(accuracy!);
    }
    // The same rows, split and seed: the same model, whatever the file format.
    expect(new Set(accuracies).size).toBe(1);
    expect(accuracies[0]).toBeGreaterThan(0.85);
    const evaluated = await cliJson('eval', '--model', join(dir, 'm'), '--data', npz, '--backend', 'js');
    expect(evaluated.code, evaluated.err).toBe(0);
    expect(evaluated.json.examples).toBe(150);
  }, 120_000);
});

describe('--standardize-targets', () => {
  it('trains on standardised targets and predicts and evaluates in the original units', async () => {
    const dir = scratch();
    const rng = new Rng(4);
    const lines = ['a,b,price'];
    for (let i = 0; i < 200; i++) {
      const a = rng.uniformRange(-1, 1),
        b = rng.uniformRange(-1, 1);
      lines.push(`${a},${b},${5000 + 800 * a - 300 * b}`);
    }
    const data = join(dir, 'prices.csv');
    writeFileSync(data, lines.join('\n'));
    const model = join(dir, 'm');
    const r = await cliJson(
      'train',
      '--data',
      data,
      '--task',
      'regression',
      ...fast,
      '--epochs',
      '60',
      '--standardize',
      '--standardize-targets',
      '--test-split',
      '0.2',
      '--out',
      model,
      '--report',
      join(dir, 'report'),
    );
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
    expect(json.targetScaler.type).toBe('standard');
    expect(json.targetScaler.mean[0]).toBeGreaterThan(4800);
    expect(json.targetScaler.mean[0]).toBeLessThan(5200);
    expect((r.json.test as Record<string, number>).r2).toBeGreaterThan(0.9);

    const predicted = (await cli('predict', '--model', model, '--data', data)).out
      .trim()
      .split('\n')
      .slice(1)
      .map(Number);
    const actual = lines.slice(1).map((l) => Number(l.split(',')[2]));
    const mse = actual.reduce((s, y, i) => s + (y - predicted[i]!) ** 2, 0) / actual.length;
    const evaluated = await cliJson('eval', '--model', model, '--data', data, '--backend', 'js');
    // eval's mse is the mean squared error of predict's values against the file's, in its units.
    expect(evaluated.json.mse as number).toBeCloseTo(mse, 0);
    expect(Math.sqrt(mse)).toBeLessThan(200); // prices vary by ±1100
    const html = readFileSync(join(dir, 'report', 'report.html'), 'utf8');
    expect(html).toContain('Predicted vs actual price');
    expect(html).toContain('Residuals of price');
    expect(html).toContain('id="no-validation"');

    const classification = await cli(
      'train',
      '--data',
      join(DATA, 'iris.csv'),
      ...fast,
      '--standardize-targets',
      '--out',
      join(dir, 'x'),
    );
    expect(classification.err).toMatch(/--standardize-targets applies to regression, not classification/);
  }, 90_000);
});

describe('--stratify and --save-splits', () => {
  it("keeps each class's share in the test split and writes which row went where", async () => {
    const dir = scratch();
    const splits = join(dir, 'splits.csv');
    const r = await cli(
      'train',
      '--data',
      join(DATA, 'iris.csv'),
      ...fast,
      '--epochs',
      '1',
      '--test-split',
      '0.2',
      '--validation-split',
      '0.25',
      '--stratify',
      '--save-splits',
      splits,
      '--out',
      join(dir, 'm'),
    );
    expect(r.code, r.err).toBe(0);
    const rows = readFileSync(splits, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('row,split');
    expect(rows).toHaveLength(151);
    const species = readFileSync(join(DATA, 'iris.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[4]);
    const count = (split: string, s: string): number =>
      rows.slice(1).filter((l, i) => l === `${i},${split}` && species[i] === s).length;
    for (const s of ['setosa', 'versicolor', 'virginica']) {
      expect(count('test', s)).toBe(10); // 50 × 0.2
      expect(count('validation', s)).toBe(10); // 40 × 0.25
      expect(count('train', s)).toBe(30);
    }
    const numeric = join(dir, 'numeric.csv');
    writeFileSync(numeric, 'a,y\n1,2\n2,4\n3,6\n4,8\n5,10\n');
    const regression = await cli(
      'train',
      '--data',
      numeric,
      '--task',
      'regression',
      ...fast,
      '--stratify',
      '--test-split',
      '0.2',
      '--out',
      join(dir, 'r'),
    );
    expect(regression.err).toMatch(/--stratify needs a classification task, got regression/);
  }, 60_000);
});
