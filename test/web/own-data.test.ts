// Reading a visitor's CSV (with the library's parser) and carrying its rows in the URL.
import { describe, expect, it } from 'vitest';
import { decodeRows, encodeRows, readOwnCsv, rowsAreRegression } from '../../web/src/own-data.js';

const parseCsv = (text: string): ReturnType<typeof readOwnCsv> => readOwnCsv(text, 'mine.csv');

describe('readOwnCsv', () => {
  it('skips a header and maps two text labels to 0 and 1 in sort order', () => {
    const data = parseCsv('x,y,label\n1,2,yes\n3,4,no\n5,6,yes\n-1,0.5,no\n');
    expect(data.regression).toBe(false);
    expect(data.classes).toEqual(['no', 'yes']);
    expect(data.rows).toEqual([
      [1, 2, 1],
      [3, 4, 0],
      [5, 6, 1],
      [-1, 0.5, 0],
    ]);
  });

  it('maps numeric labels −1/1 to 0/1 and reads semicolons without a header', () => {
    const data = parseCsv('1;2;-1\r\n3;4;1\r\n5;6;1\r\n7;8;-1');
    expect(data.rows.map((r) => r[2])).toEqual([0, 1, 1, 0]);
    expect(data.classes).toEqual(['-1', '1']);
  });

  it('treats more than two numeric labels as a regression', () => {
    const data = parseCsv('a,b,t\n0,0,0.5\n1,0,1.5\n0,1,2.5\n1,1,3\n');
    expect(data.regression).toBe(true);
    expect(data.rows[3]).toEqual([1, 1, 3]);
  });

  it('names the file, line and column at fault', () => {
    expect(() => parseCsv('x,y,l\n1,2,0\n3,oops,1\n4,5,0\n6,7,1')).toThrow(
      /^mine\.csv: row 3, column 'y': 'oops' is not a finite number$/,
    );
    expect(() => parseCsv('x,y,l\n1,2,0\n3,4\n4,5,0\n6,7,1')).toThrow(
      /^mine\.csv: row 3 has 2 fields, the header has 3/,
    );
    expect(() => parseCsv('x,y\n1,2\n3,4\n4,5\n6,7')).toThrow(
      /^mine\.csv: expected 3 columns \(x1, x2, label\), found 2: x, y$/,
    );
    expect(() => parseCsv('x,y,l\n1,2,a\n3,4,b\n4,5,c\n6,7,d')).toThrow(
      /^mine\.csv: the label column has 4 distinct text values/,
    );
    expect(() => parseCsv('x,y,l\n1,2,a\n3,4,a\n4,5,a\n6,7,a')).toThrow(
      /^mine\.csv: the label column has a single value/,
    );
    expect(() => parseCsv('x,y,l\n1,2,a\n3,4,b\n')).toThrow(
      /^mine\.csv: the file has 2 data rows; at least 4 are needed$/,
    );
    expect(() => parseCsv(Array.from({ length: 1001 }, (_, i) => `${i},1,${i % 2}`).join('\n'))).toThrow(
      /the file has 1001 data rows; the playground takes at most 1000/,
    );
    expect(() => parseCsv('')).toThrow(/^mine\.csv: the file is empty/);
  });
});

describe('rows in the URL', () => {
  it('round-trips rows rounded to 4 significant digits', () => {
    const rows = [
      [1.23456, -2, 0],
      [1e-5, 300.04, 1],
    ];
    const encoded = encodeRows(rows);
    expect(encoded).toMatch(/^[0-9eE.\-_*+]+$/);
    expect(decodeRows(encoded)).toEqual([
      [1.235, -2, 0],
      [0.00001, 300, 1],
    ]);
    expect(decodeRows(encodeRows(decodeRows(encoded)!))).toEqual(decodeRows(encoded));
  });

  it('rejects malformed text and tells regression rows from labels', () => {
    expect(decodeRows('1_2*3_4_5')).toBeNull();
    expect(decodeRows('1_x_0')).toBeNull();
    expect(
      rowsAreRegression([
        [0, 0, 1],
        [1, 1, 0],
      ]),
    ).toBe(false);
    expect(rowsAreRegression([[0, 0, 0.5]])).toBe(true);
  });
});
