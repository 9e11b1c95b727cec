// What a user sees for a bad input file, through the CLI: one line naming the file, row, column and
// value; and the CSV options (--delimiter) reaching train, eval and predict.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, csvFile, scratch } from './helpers.js';

const dir = scratch();

async function expectError(argv: string[], pattern: RegExp): Promise<void> {
  const r = await cli(...argv);
  expect(r.code, r.err).toBe(1);
  expect(r.err).toMatch(pattern);
  expect(r.err.trim().split('\n')).toHaveLength(1);
}

const train = (data: string, ...more: string[]): string[] => [
  'train',
  '--data',
  data,
  '--out',
  join(dir, `m${Math.random().toString(36).slice(2)}`),
  '--epochs',
  '1',
  '--quiet',
  ...more,
];

/** `rows` rows of two features and a label column written by `label(i)`, joined by `sep`. */
function table(rows: number, label: (i: number) => string, sep = ','): string {
  const lines = [['x1', 'x2', 'y'].join(sep)];
  for (let i = 0; i < rows; i++) lines.push([(i % 7) / 7, (i % 5) / 5, label(i)].join(sep));
  return lines.join('\n') + '\n';
}

describe('train refuses bad CSV files', () => {
  it('duplicate column names (eval would read the wrong one)', () =>
    expectError(
      train(csvFile(dir, 'dup.csv', 'a,b,a,y\n1,2,3,0\n4,5,6,1\n')),
      /dup\.csv: row 1: column name 'a' appears twice \(columns 1 and 3\); column names must be unique/,
    ));

  it('a classification target with many non-integer values', () =>
    expectError(
      train(
        csvFile(
          dir,
          'price.csv',
          table(300, (i) => (i * 0.37).toFixed(2)),
        ),
      ),
      // i · 0.37 is an integer for i = 0, 100, 200.
      /price\.csv: column 'y' has 300 distinct values, 297 of them not integers \(e\.g\. 0\.37, 0\.74, 1\.11\): it looks continuous, not like class labels; use --task regression to predict it as a number/,
    ));

  it('about one class per row', () =>
    expectError(
      train(
        csvFile(
          dir,
          'ids.csv',
          table(200, (i) => `id${i}`),
        ),
      ),
      /ids\.csv: column 'y' has 200 distinct values in 200 rows \(more than 100, fewer than 2 rows per class\): .*use --task regression/,
    ));

  it('a value beyond float32', () =>
    expectError(
      train(csvFile(dir, 'huge.csv', 'x,y\n1,0\n1e300,1\n')),
      /huge\.csv: row 3, column 'x': 1e300 is beyond the float32 range \(±3\.4e38\)/,
    ));

  it('/dev/zero and a directory', async () => {
    await expectError(train('/dev/zero'), /data file '\/dev\/zero' is a character device, not a regular file/);
    // A directory is an image folder: one without class subfolders is refused as such.
    await expectError(train(dir), /image folder '.*' has no class subfolders/);
  });

  it('a file without a header', () =>
    expectError(
      train(csvFile(dir, 'nohead.csv', '1,2,0\n3,4,1\n')),
      /nohead\.csv: row 1 holds only numbers \(1, 2, 0\): the file seems to have no header row/,
    ));

  it('a stray quote, with its row', () =>
    expectError(
      train(csvFile(dir, 'quote.csv', 'a,b,y\n1,2,0\n3,"4,1\n5,6,0\n')),
      /quote\.csv: row 3, column 'b': a quoted field opened on this row is never closed/,
    ));

  it('a bad --delimiter', () =>
    expectError(
      train(
        csvFile(
          dir,
          'ok.csv',
          table(10, (i) => String(i % 2)),
        ),
        '--delimiter',
        ';;',
      ),
      /--delimiter: expected one character other than a quote or a line end, 'tab' or 'auto', got ';;'/,
    ));
});

describe('labels and delimiters through train, eval and predict', () => {
  it('numeric labels 0.5, 0.50, 1, 1.0 are two classes, saved as numbers', async () => {
    const file = csvFile(
      dir,
      'half.csv',
      table(40, (i) => ['0.5', '0.50', '1', '1.0'][i % 4]!),
    );
    const out = join(dir, 'half');
    const r = await cli('train', '--data', file, '--out', out, '--epochs', '1', '--quiet');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { labels: unknown };
    expect(json.labels).toEqual([0.5, 1]);
    const e = await cli('eval', '--model', out, '--data', file, '--json');
    expect(e.code, e.err).toBe(0);
    expect(JSON.parse(e.out)).toMatchObject({ examples: 40 });
  });

  it('eval and predict refuse a file whose columns repeat a name, and /dev/zero', async () => {
    const out = join(dir, 'dup-model');
    expect(
      (
        await cli(
          'train',
          '--data',
          csvFile(
            dir,
            'clean.csv',
            table(40, (i) => String(i % 2)),
          ),
          '--out',
          out,
          '--epochs',
          '1',
          '--quiet',
        )
      ).code,
    ).toBe(0);
    const dup = csvFile(dir, 'dup-eval.csv', 'x1,x2,x1,y\n0.1,0.2,0.9,0\n0.3,0.4,0.1,1\n');
    await expectError(
      ['eval', '--model', out, '--data', dup],
      /dup-eval\.csv: row 1: column name 'x1' appears twice \(columns 1 and 3\)/,
    );
    await expectError(
      ['predict', '--model', out, '--data', '/dev/zero'],
      /data file '\/dev\/zero' is a character device, not a regular file/,
    );
  });

  it('predict ignores target columns whatever they hold', async () => {
    const out = join(dir, 'pred-model');
    expect(
      (
        await cli(
          'train',
          '--data',
          csvFile(
            dir,
            'p.csv',
            table(40, (i) => (i % 2 ? 'b' : 'a')),
          ),
          '--out',
          out,
          '--epochs',
          '1',
          '--quiet',
        )
      ).code,
    ).toBe(0);
    const r = await cli(
      'predict',
      '--model',
      out,
      '--data',
      csvFile(dir, 'unknown.csv', 'x1,x2,y\n0.1,0.2,?\n0.3,0.4,\n0.5,0.6,zebra\n'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(4);
    expect(r.out).toMatch(/^y,prob_a,prob_b\n[ab],/);
  });

  it('semicolon and tab files are detected; --delimiter forces a separator', async () => {
    const out = join(dir, 'semi');
    const semi = csvFile(
      dir,
      'semi.csv',
      table(40, (i) => String(i % 2), ';'),
    );
    expect((await cli('train', '--data', semi, '--out', out, '--epochs', '1', '--quiet')).code).toBe(0);
    const tab = csvFile(
      dir,
      'tab.tsv',
      table(40, (i) => String(i % 2), '\t'),
    );
    const e = await cli('eval', '--model', out, '--data', tab, '--delimiter', 'tab', '--json');
    expect(e.code, e.err).toBe(0);
    expect(JSON.parse(e.out)).toMatchObject({ examples: 40 });
    const p = await cli('predict', '--model', out, '--data', semi, '--delimiter', ';');
    expect(p.code, p.err).toBe(0);
    expect(p.out.trim().split('\n')).toHaveLength(41);
    // Forced to ',' the semicolon file has one column, and the message says which separator was used.
    await expectError(
      ['eval', '--model', out, '--data', semi, '--delimiter', ','],
      /semi\.csv: (feature column|target column)/,
    );
  });
});
