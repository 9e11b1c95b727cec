// The CSV rules a user's file meets: delimiters, quotes, header, blank lines, row numbers as file
// lines, float32 range, file kinds; and class labels (numeric by value, continuous targets refused).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import {
  featureMatrix,
  labelColumn,
  MAX_CSV_BYTES,
  oneHot,
  parseCsv,
  readCsvFile,
  splitColumns,
} from '../../src/data/csv.js';
import { checkClassLabels, sortLabels } from '../../src/data/labels.js';

const features = (text: string, delimiter?: string): number[][] => {
  const t = parseCsv(text, 'f.csv', { delimiter });
  return featureMatrix(t, splitColumns(t)).to2D() as number[][];
};

describe('CSV delimiters', () => {
  it('detects comma, semicolon and tab from the first lines', () => {
    expect(parseCsv('a,b,y\n1,2,0\n', 'f.csv').delimiter).toBe(',');
    expect(parseCsv('a;b;y\n1;2;0\n', 'f.csv').delimiter).toBe(';');
    expect(parseCsv('a\tb\ty\n1\t2\t0\n', 'f.csv').delimiter).toBe('\t');
    expect(features('a;b;y\n1.5;2;0\n3;4;1\n')).toEqual([
      [1.5, 2],
      [3, 4],
    ]);
  });

  it('prefers the separator the rows agree on (a comma inside quotes does not count)', () => {
    // One comma in the header's quoted name, two semicolons per row.
    const t = parseCsv('"x, cm";b;y\n1;2;0\n3;4;1\n', 'f.csv');
    expect(t.delimiter).toBe(';');
    expect(t.header).toEqual(['x, cm', 'b', 'y']);
  });

  it('uses a given delimiter as is, and rejects one that cannot be', () => {
    expect(features('a|b|y\n1|2|0\n', '|')).toEqual([[1, 2]]);
    expect(() => parseCsv('a,b\n1,2\n', 'f.csv', { delimiter: '"' })).toThrow(
      /f\.csv: the delimiter must be one character other than a quote or a line end, got '"'/,
    );
  });

  it('names the delimiter when a row has one field and the header many', () => {
    expect(() => parseCsv('a,b,y\n1;2;0\n', 'f.csv')).toThrow(
      /f\.csv: row 2 has 1 fields, the header has 3 \(is ',' the field separator\? see --delimiter\)/,
    );
  });

  it('hints at the decimal separator for 1,5 in a semicolon file', () => {
    expect(() => features('a;y\n1,5;0\n')).toThrow(
      /f\.csv: row 2, column 'a': '1,5' is not a finite number \(use '\.' as the decimal separator\)/,
    );
  });
});

describe('CSV quotes', () => {
  it('quoted fields may hold the delimiter, doubled quotes and line breaks, with spaces around them', () => {
    const t = parseCsv('a,b,c\n1, "x, ""y""" ,"two\nlines"\n', 'f.csv');
    expect(t.row(0)).toEqual(['1', 'x, "y"', 'two\nlines']);
  });

  it('a quote never closed names the row where it opens and its column', () => {
    expect(() => parseCsv('a,b,y\n1,2,0\n3,"4,1\n5,6,0\n', 's.csv')).toThrow(
      /s\.csv: row 3, column 'b': a quoted field opened on this row is never closed \(a stray quote\?\)/,
    );
  });

  it('a quote inside an unquoted field is an error with row and column', () => {
    expect(() => parseCsv('a,b,y\n1,2,0\n3,4"x,1\n', 's.csv')).toThrow(
      /s\.csv: row 3, column 'b': stray quote inside an unquoted field/,
    );
  });

  it('text after a closing quote is an error with row and column', () => {
    expect(() => parseCsv('a,b,y\n1,"2"x,0\n', 's.csv')).toThrow(
      /s\.csv: row 2, column 'b': text after the closing quote/,
    );
  });

  it('a stray quote in the header names the header column by position', () => {
    expect(() => parseCsv('a,b"c,y\n1,2,0\n', 's.csv')).toThrow(/s\.csv: row 1, column 2 of the header: stray quote/);
  });
});

describe('CSV header and rows', () => {
  it('rejects duplicate column names, naming both positions', () => {
    expect(() => parseCsv('a,b,a,y\n1,2,3,0\n', 'd.csv')).toThrow(
      /d\.csv: row 1: column name 'a' appears twice \(columns 1 and 3\); column names must be unique/,
    );
    // Names are compared after trimming, as they are used.
    expect(() => parseCsv('a, a\n1,2\n', 'd.csv')).toThrow(/column name 'a' appears twice/);
  });

  it('detects a file without a header (a first row of numbers only)', () => {
    expect(() => parseCsv('1,2,0\n3,4,1\n', 'n.csv')).toThrow(
      /n\.csv: row 1 holds only numbers \(1, 2, 0\): the file seems to have no header row; its first line must name the columns/,
    );
    expect(parseCsv('x1,2,0\n3,4,1\n', 'n.csv').header).toEqual(['x1', '2', '0']);
  });

  it('skips blank and whitespace-only lines, and numbers rows as the lines of the file', () => {
    const t = parseCsv('\n  \na,y\n1,0\n \t \n\n2,1\nz,1\n', 'w.csv');
    expect(t.rowCount).toBe(3);
    expect([0, 1, 2].map((r) => t.rowNumber(r))).toEqual([4, 7, 8]);
    expect(() => featureMatrix(t, splitColumns(t))).toThrow(/w\.csv: row 8, column 'a': 'z' is not a finite number/);
  });

  it('counts lines inside quoted fields', () => {
    const t = parseCsv('a,b\n"x\ny",1\n"p\r\nq\rr",2\nbad,\n', 'q.csv');
    expect([0, 1, 2].map((r) => t.rowNumber(r))).toEqual([2, 4, 7]);
  });

  it('rejects values beyond float32 with row and column, keeps the largest float32', () => {
    expect(() => features('a,y\n1,0\n1e300,1\n')).toThrow(
      /f\.csv: row 3, column 'a': 1e300 is beyond the float32 range \(±3\.4e38\)/,
    );
    expect(() => features('a,y\n-4e38,1\n')).toThrow(/row 2, column 'a': -4e38 is beyond the float32 range/);
    expect(features('a,y\n3.4e38,1\n')[0]![0]).toBeCloseTo(3.4e38, -32);
  });
});

describe('CSV files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backprop-csv-'));

  it('reads only regular files: not /dev/zero, a FIFO or a directory', () => {
    expect(() => readCsvFile('/dev/zero')).toThrow(/data file '\/dev\/zero' is a character device, not a regular file/);
    expect(() => readCsvFile(dir)).toThrow(/data file '.*' is a directory, not a regular file/);
    const fifo = join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    expect(() => readCsvFile(fifo)).toThrow(/data file '.*pipe\.csv' is a FIFO \(named pipe\), not a regular file/);
  });

  it('refuses a file larger than a string can hold before reading it', () => {
    const big = join(dir, 'big.csv');
    writeFileSync(big, '');
    // A sparse file: the size is all that is checked, nothing is read.
    execFileSync('truncate', ['-s', String(MAX_CSV_BYTES + 1), big]);
    expect(() => readCsvFile(big)).toThrow(
      /data file '.*big\.csv' is 512\.0 MiB; at most 512\.0 MiB can be read \(the text of a CSV file must fit in one JavaScript string\)/,
    );
  });
});

describe('class labels', () => {
  it('numeric labels compare as numbers: 0.5, 0.50, 1, 1.0 are two classes', () => {
    const labels = sortLabels(['0.5', '0.50', '1', '1.0']);
    expect(labels).toEqual([0.5, 1]);
    expect(oneHot(['0.50', '1.0', '1', '0.5'], labels, 'f.csv').to2D()).toEqual([
      [1, 0],
      [0, 1],
      [0, 1],
      [1, 0],
    ]);
  });

  it('labels that are not all decimal numbers stay strings (0x10 and 16 are two labels)', () => {
    expect(sortLabels(['0x10', '16', 'a'])).toEqual(['0x10', '16', 'a']);
    expect(sortLabels(['16', '0x10'])).toEqual(['0x10', '16']);
  });

  it('names the row as a file line when a label is unseen', () => {
    const t = parseCsv('x,y\n1,a\n\n2,c\n', 'u.csv');
    expect(() => oneHot(labelColumn(t, splitColumns(t)), ['a', 'b'], 'u.csv', 'y', t.rowNumber)).toThrow(
      /u\.csv: row 4, column 'y': label 'c' was not seen/,
    );
  });

  it('refuses a target that looks continuous: many non-integer numbers', () => {
    const values = Array.from({ length: 11 }, (_, i) => String(i + 0.5));
    expect(() => checkClassLabels(sortLabels(values), 1000, 'p.csv', 'price')).toThrow(DataError);
    expect(() => checkClassLabels(sortLabels(values), 1000, 'p.csv', 'price')).toThrow(
      /p\.csv: column 'price' has 11 distinct values, 11 of them not integers \(e\.g\. 0\.5, 1\.5, 2\.5\): it looks continuous, not like class labels; use --task regression/,
    );
    // Ten fractional codes are still a class list.
    expect(() => checkClassLabels(sortLabels(values.slice(0, 10)), 1000, 'p.csv', 'price')).not.toThrow();
  });

  it('refuses about one class per row: more than max(50, rows / 2) distinct labels', () => {
    const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `id${i}`);
    expect(() => checkClassLabels(sortLabels(ids(51)), 60, 'i.csv', 'id')).toThrow(
      /i\.csv: column 'id' has 51 distinct values in 60 rows \(more than 50, fewer than 2 rows per class\): it looks continuous or like an identifier, not like class labels; use --task regression/,
    );
    expect(() => checkClassLabels(sortLabels(ids(50)), 60, 'i.csv', 'id')).not.toThrow();
    expect(() => checkClassLabels(sortLabels(ids(500)), 1000, 'i.csv', 'id')).not.toThrow();
    expect(() => checkClassLabels(sortLabels(ids(501)), 1000, 'i.csv', 'id')).toThrow(
      /501 distinct values in 1000 rows \(more than 500/,
    );
  });

  it('refuses one-hot targets beyond 2 GiB (float32 rows × classes)', () => {
    const labels = Array.from({ length: 1000 }, (_, i) => i);
    // 540 000 rows × 1000 classes × 4 bytes = 2.16e9 bytes > 2^31.
    expect(() => checkClassLabels(labels, 540_000, 'b.csv', 'y')).toThrow(
      /b\.csv: column 'y': one-hot targets of 540000 rows × 1000 classes would take 2\.0 GiB, more than the 2 GiB supported/,
    );
    expect(() => checkClassLabels(labels, 536_000, 'b.csv', 'y')).not.toThrow();
  });
});
