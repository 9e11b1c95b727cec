// The command line on streamed tables (--stream): train, eval and predict in chunks, the flags that
// need a table held whole refused, and files that cannot stream refused with the reason.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { byteProgress } from '../../src/cli/byte-progress.js';
import { MAX_CSV_BYTES, Rng } from '../../src/node.js';
import { cli, cliJson, csvFile, scratch } from './helpers.js';

const dir = scratch();
const rng = new Rng(11);
const ROWS = 3000;
/** y = 2·x0 − x1 + 0.5·x2 + noise, on three features; `label` is the sign of y. */
const rows = Array.from({ length: ROWS }, () => {
  const x = [rng.normal(), rng.normal(), rng.normal()];
  const y = 2 * x[0]! - x[1]! + 0.5 * x[2]! + 0.05 * rng.normal();
  return [...x.map((v) => v.toFixed(5)), y.toFixed(5), y > 0 ? 'up' : 'down'];
});
const regression = csvFile(
  dir,
  'reg.csv',
  ['x0,x1,x2,y', ...rows.map((r) => r.slice(0, 4).join(','))].join('\n') + '\n',
);
const classes = csvFile(
  dir,
  'cls.csv',
  ['x0,x1,x2,label', ...rows.map((r) => [...r.slice(0, 3), r[4]].join(','))].join('\n') + '\n',
);
const common = ['--layers', '16', '--batch-size', '32', '--seed', '1', '--backend', 'js', '--quiet', '--stream'];

describe('train --stream', () => {
  it('regression: the loss falls, eval and predict stream, predictions have one row per input row', async () => {
    const model = join(dir, 'reg-model');
    const r = await cliJson(
      'train',
      '--data',
      regression,
      '--task',
      'regression',
      '--epochs',
      '4',
      '--lr',
      '0.01',
      '--standardize',
      '--test-split',
      '0.2',
      '--validation-split',
      '0.1',
      '--shuffle-buffer',
      '500',
      '--out',
      model,
      ...common,
    );
    expect(r.code, r.err).toBe(0);
    const history = r.json.history as { loss: number; val_loss: number }[];
    expect(history).toHaveLength(4);
    expect(history[3]!.loss).toBeLessThan(history[0]!.loss / 3);
    expect((r.json.test as Record<string, number>).r2).toBeGreaterThan(0.95);
    const saved = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
    expect(saved.scaler.type).toBe('standard');
    expect(saved.training.stream).toBe(true);
    expect(saved.training.shuffleBuffer).toBe(500);

    const streamed = await cliJson('eval', '--model', model, '--data', regression, '--stream', '--backend', 'js');
    const whole = await cliJson('eval', '--model', model, '--data', regression, '--backend', 'js');
    expect(streamed.code, streamed.err).toBe(0);
    expect(streamed.json.examples).toBe(ROWS);
    for (const k of ['loss', 'mse', 'mae', 'r2'])
      expect(streamed.json[k] as number).toBeCloseTo(whole.json[k] as number, 5);

    const out = join(dir, 'predictions.csv');
    const p = await cli('predict', '--model', model, '--data', regression, '--stream', '--out', out, '--backend', 'js');
    expect(p.code, p.err).toBe(0);
    const written = readFileSync(out, 'utf8');
    expect(written.trimEnd().split('\n')).toHaveLength(ROWS + 1);
    expect(written.split('\n')[0]).toBe('y');
    const stdout = await cli('predict', '--model', model, '--data', regression, '--backend', 'js');
    expect(written).toBe(stdout.out);
  });

  it('classification: labels from the first pass, the same seed gives the same model', async () => {
    const run = (out: string) =>
      cliJson(
        'train',
        '--data',
        classes,
        '--epochs',
        '3',
        '--validation-split',
        '0.2',
        '--out',
        join(dir, out),
        ...common,
      );
    const a = await run('cls-a');
    expect(a.code, a.err).toBe(0);
    expect((a.json.validation as Record<string, number>).accuracy).toBeGreaterThan(0.9);
    expect(JSON.parse(readFileSync(join(dir, 'cls-a', 'model.json'), 'utf8')).labels).toEqual(['down', 'up']);
    const b = await run('cls-b');
    expect(b.json.history).toEqual(
      (a.json.history as Record<string, number>[]).map((h) => ({ ...h, seconds: expect.any(Number) })),
    );
  });

  it('a Parquet file streams by row group', async () => {
    const parquet = join(dir, 'reg.parquet');
    writeFileSync(
      parquet,
      new Uint8Array(
        parquetWriteBuffer({
          columnData: ['x0', 'x1', 'x2', 'y'].map((name, j) => ({
            name,
            data: rows.map((r) => Number(r[j])),
            type: 'DOUBLE' as const,
          })),
          rowGroupSize: 700,
        }),
      ),
    );
    const r = await cliJson(
      'train',
      '--data',
      parquet,
      '--task',
      'regression',
      '--epochs',
      '3',
      '--lr',
      '0.01',
      '--out',
      join(dir, 'pq'),
      ...common,
    );
    expect(r.code, r.err).toBe(0);
    const history = r.json.history as { loss: number }[];
    expect(history[2]!.loss).toBeLessThan(history[0]!.loss);
  });

  it('refuses what needs the whole table, and formats that are read whole', async () => {
    const cases: [string[], RegExp][] = [
      [['--stratify'], /--stratify does not apply to a streamed file/],
      [['--batch-size', 'all'], /--batch-size all does not apply to a streamed file/],
      [
        ['--data', regression, '--task', 'regression', '--standardize-targets'],
        /--standardize-targets is not available for a streamed file/,
      ],
      [['--save-splits', join(dir, 'splits.csv')], /--save-splits is not available for a streamed file/],
    ];
    for (const [flags, message] of cases) {
      const r = await cli(
        'train',
        '--data',
        classes,
        '--epochs',
        '1',
        '--out',
        join(dir, 'refused'),
        ...common,
        ...flags,
      ); // a later --data wins
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(message);
    }
    const npy = join(dir, 't.npy');
    writeFileSync(npy, 'not read');
    const r = await cli('train', '--data', npy, '--epochs', '1', '--out', join(dir, 'refused'), ...common);
    expect(r.err).toMatch(/t\.npy: \.npy files are read whole, not streamed; streaming reads CSV and Parquet files/);
  });

  it('a bad number late in the file names its row', async () => {
    const lines = [
      'a,b,y',
      ...Array.from({ length: 200_000 }, (_, i) => (i === 180_000 ? '1,x,2' : `${i % 7},${i % 5},${i % 3}`)),
    ];
    const bad = csvFile(dir, 'late.csv', lines.join('\n') + '\n');
    const r = await cli(
      'train',
      '--data',
      bad,
      '--task',
      'regression',
      '--epochs',
      '1',
      '--out',
      join(dir, 'late'),
      ...common,
    );
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/late\.csv: row 180002, column 'b': 'x' is not a finite number/);
  });

  it('a CSV file larger than a string can hold is streamed, not refused', async () => {
    const big = join(dir, 'big.csv');
    writeFileSync(big, '');
    // A sparse file of NUL bytes: one endless record, refused after 64 MiB, the rest never read.
    execFileSync('truncate', ['-s', String(MAX_CSV_BYTES + 1), big]);
    const r = await cli(
      'train',
      '--data',
      big,
      '--epochs',
      '1',
      '--backend',
      'js',
      '--quiet',
      '--out',
      join(dir, 'big'),
    );
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/big\.csv: row 1: a record longer than 64 MiB \(an unbalanced quote\?\)/);
    expect(r.err).not.toMatch(/at most 512/);
  });

  it('--shuffle-buffer without streaming warns that it has no effect', async () => {
    const r = await cli(
      'train',
      '--data',
      regression,
      '--task',
      'regression',
      '--epochs',
      '1',
      '--layers',
      '4',
      '--backend',
      'js',
      '--quiet',
      '--shuffle-buffer',
      '100',
      '--out',
      join(dir, 'whole'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(
      /warning: --shuffle-buffer has no effect: the file is read whole and shuffled fully every epoch/,
    );
  });
});

describe('byteProgress', () => {
  it('a line per tenth of the file off a terminal, one rewritten line on a terminal, nothing for one read', () => {
    const MIB = 2 ** 20;
    let plain = '';
    const p = byteProgress({ write: (t) => void (plain += t) }, 'reading big.csv');
    for (let read = 4 * MIB; read <= 100 * MIB; read += 4 * MIB) p(read, 100 * MIB);
    p(100 * MIB, 100 * MIB);
    const lines = plain.trimEnd().split('\n');
    expect(lines[0]).toBe('reading big.csv: 0% (4 of 100 MiB)');
    expect(lines.at(-1)).toBe('reading big.csv: 100% (100 of 100 MiB)');
    expect(lines).toHaveLength(11);
    let tty = '';
    const q = byteProgress({ write: (t) => void (tty += t), isTTY: true }, 'r');
    q(50 * MIB, 100 * MIB);
    q(100 * MIB, 100 * MIB);
    expect(tty).toBe('\rr: 50% (50 of 100 MiB)\rr: 100% (100 of 100 MiB)\n');
    let none = '';
    byteProgress({ write: (t) => void (none += t) }, 'small')(1000, 1000);
    expect(none).toBe('');
  });
});
