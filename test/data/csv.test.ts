// CSV parsing, column selection, label order and the errors bad files give.
import { describe, expect, it } from 'vitest';
import {
  featureMatrix,
  labelColumn,
  numericTargets,
  oneHot,
  parseCsv,
  sortLabels,
  splitColumns,
} from '../../src/data/csv.js';

describe('CSV', () => {
  it('parses quotes, CRLF and a trailing newline', () => {
    const t = parseCsv('a,"b, quoted",c\r\n1,"2",x\r\n3,4,"say ""hi"""\r\n', 'f.csv');
    expect(t.header).toEqual(['a', 'b, quoted', 'c']);
    expect([t.row(0), t.row(1)]).toEqual([
      ['1', '2', 'x'],
      ['3', '4', 'say "hi"'],
    ]);
    expect(parseCsv('a,b\n"multi\nline",\n', 'q.csv').row(0)).toEqual(['multi\nline', '']);
  });

  it('takes the last column as the target by default and the rest as features', () => {
    const t = parseCsv('x1,x2,y\n1,2,a\n3,4,b\n', 'f.csv');
    const cols = splitColumns(t);
    expect(cols.targetNames).toEqual(['y']);
    expect(featureMatrix(t, cols).to2D()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('orders numeric labels as numbers and string labels as strings', () => {
    expect(sortLabels(['10', '9', '2', '10'])).toEqual([2, 9, 10]);
    expect(sortLabels(['versicolor', 'setosa', 'virginica'])).toEqual(['setosa', 'versicolor', 'virginica']);
  });

  it('one-hot encodes against known labels and rejects unseen ones', () => {
    expect(oneHot(['2', '10'], [2, 9, 10], 'f.csv').to2D()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(() => oneHot(['2', '7'], [2, 9, 10], 'f.csv', 'digit')).toThrow(
      /f\.csv: row 3, column 'digit': label '7' was not seen in training \(known labels: 2, 9, 10\)/,
    );
  });

  it('multilabel targets must be 0 or 1', () => {
    const t = parseCsv('x,a,b\n1,0,1\n2,1,2\n', 'm.csv');
    expect(() => numericTargets(t, splitColumns(t, ['a', 'b']), true)).toThrow(
      /row 3, column 'b': multi-label targets must be 0 or 1, got 2/,
    );
  });

  const bad: [string, string, RegExp][] = [
    ['an empty file', '', /the file is empty/],
    ['a header without rows', 'a,b\n', /has a header but no data rows/],
    ['a ragged row', 'a,b\n1,2\n3\n', /row 3 has 1 fields, the header has 2/],
    ['text in a feature', 'a,b\n1,2\nx,3\n', /row 3, column 'a': 'x' is not a finite number/],
    ['NaN in a feature', 'a,b\n1,2\nNaN,3\n', /row 3, column 'a': 'NaN' is not a finite number/],
    ['Infinity in a feature', 'a,b\nInfinity,2\n', /row 2, column 'a': 'Infinity' is not a finite number/],
    ['an empty cell', 'a,b\n,2\n', /row 2, column 'a': empty value/],
  ];
  for (const [what, text, message] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => {
        const t = parseCsv(text, 'bad.csv');
        featureMatrix(t, splitColumns(t));
      }).toThrow(message);
    });
  }

  it('names the columns when the target is missing', () => {
    const t = parseCsv('a,b\n1,2\n', 'f.csv');
    expect(() => splitColumns(t, ['label'])).toThrow(/f\.csv: target column 'label' not found; columns are a, b/);
    expect(() => labelColumn(t, splitColumns(t, ['a', 'b']))).toThrow(/no feature columns left/);
  });

  it('parses 100 000 rows in linear time', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => `${i},${i % 7},${i % 3}`).join('\n');
    const t = parseCsv(`a,b,y\n${rows}\n`, 'big.csv');
    const x = featureMatrix(t, splitColumns(t));
    expect(x.shape).toEqual([100_000, 2]);
    expect(x.get(99_999, 1)).toBe(99_999 % 7);
  });
});
