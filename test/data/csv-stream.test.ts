// The chunked CSV reader yields exactly the rows, row numbers and errors of the in-memory parser,
// whatever the chunk size: quoted line breaks, CRLF and multi-byte characters split across chunks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { featureMatrix, parseCsv, splitColumns } from '../../src/data/csv.js';
import { openCsvStream } from '../../src/data/csv-stream.js';

const dir = mkdtempSync(join(tmpdir(), 'backprop-csv-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function file(text: string | Uint8Array): string {
  const path = join(dir, `f${files++}.csv`);
  writeFileSync(path, text);
  return path;
}

/** Every row of every chunk, with its file line and 0-based index, in order. */
function streamRows(
  path: string,
  chunkBytes: number,
  delimiter = 'auto',
): { header: string[]; rows: string[][]; lines: number[]; firsts: number[] } {
  const stream = openCsvStream(path, { chunkBytes, delimiter });
  const rows: string[][] = [],
    lines: number[] = [],
    firsts: number[] = [];
  for (const { table, firstRow } of stream.chunks()) {
    expect(firstRow).toBe(rows.length);
    firsts.push(firstRow);
    for (let r = 0; r < table.rowCount; r++) {
      rows.push(table.row(r));
      lines.push(table.rowNumber(r));
    }
  }
  return { header: stream.header, rows, lines, firsts };
}

function memoryRows(text: string): { header: string[]; rows: string[][]; lines: number[] } {
  const t = parseCsv(text, 'mem');
  return {
    header: t.header,
    rows: Array.from({ length: t.rowCount }, (_, r) => t.row(r)),
    lines: Array.from({ length: t.rowCount }, (_, r) => t.rowNumber(r)),
  };
}

describe('chunked CSV reader', () => {
  it('a quoted field with a line break split across chunks', () => {
    const text = 'a,b\n1,"two\nlines"\n3,4\n';
    for (let size = 1; size <= text.length + 1; size++) {
      const s = streamRows(file(text), size);
      expect(s.rows).toEqual([
        ['1', 'two\nlines'],
        ['3', '4'],
      ]);
      expect(s.lines).toEqual([2, 4]);
    }
  });

  it('CRLF split between two chunks is one line end', () => {
    const text = 'a,b\r\n1,2\r\n\r\n3,4\r\n5,6';
    // Chunk sizes that end a chunk right after each \r.
    for (const size of [4, 5, 9, 10, 11]) {
      const s = streamRows(file(text), size);
      expect(s.rows).toEqual([
        ['1', '2'],
        ['3', '4'],
        ['5', '6'],
      ]);
      expect(s.lines).toEqual([2, 4, 5]);
    }
  });

  it('a multi-byte UTF-8 character split across chunks', () => {
    const text = 'städte,wert\n"Zürich, 東京",1\nŁódź,2\n';
    const bytes = Buffer.from(text, 'utf8');
    for (let size = 1; size <= 8; size++) {
      const s = streamRows(file(bytes), size);
      expect(s.header).toEqual(['städte', 'wert']);
      expect(s.rows).toEqual([
        ['Zürich, 東京', '1'],
        ['Łódź', '2'],
      ]);
    }
  });

  it('reads a large file in several chunks with row indices continuing', () => {
    const lines = ['x,y'];
    for (let i = 0; i < 5000; i++) lines.push(`${i},${i * 2}`);
    const s = streamRows(file(lines.join('\n')), 4096);
    expect(s.firsts.length).toBeGreaterThan(5);
    expect(s.rows.length).toBe(5000);
    expect(s.rows[4321]).toEqual(['4321', '8642']);
    expect(s.lines[4321]).toBe(4323);
  });

  it('property: the rows and line numbers of parseCsv for random CSVs and chunk sizes', () => {
    const cell = fc.oneof(
      fc.stringMatching(/^[a-z0-9. é€]{0,6}$/),
      fc.string({ maxLength: 6 }).map((s) => `"${s.replace(/"/g, '""')}"`),
      fc.constantFrom('"a\nb"', '"x\r\ny"', '"q""q"', '東京', ' 1.5 ', ''),
    );
    const csvArb = fc
      .record({
        columns: fc.integer({ min: 1, max: 4 }),
        rows: fc.integer({ min: 1, max: 12 }),
        cells: fc.array(cell, { minLength: 48, maxLength: 48 }),
        eol: fc.constantFrom('\n', '\r\n', '\r'),
        blanks: fc.array(fc.nat(11), { maxLength: 3 }),
        trailing: fc.boolean(),
        delimiter: fc.constantFrom(',', ';', '\t'),
      })
      .map(({ columns, rows, cells, eol, blanks, trailing, delimiter }) => {
        const header = Array.from({ length: columns }, (_, j) => `col${j}`).join(delimiter);
        const body: string[] = [];
        for (let r = 0; r < rows; r++) {
          // A row of empty cells only is a blank line for one column; give it a value.
          body.push(
            Array.from({ length: columns }, (_, j) => cells[(r * columns + j) % cells.length]! || 'v').join(delimiter),
          );
          if (blanks.includes(r)) body.push('  ');
        }
        return [header, ...body].join(eol) + (trailing ? eol : '');
      });
    fc.assert(
      fc.property(csvArb, fc.integer({ min: 1, max: 64 }), (text, chunkBytes) => {
        let expected: ReturnType<typeof memoryRows> | Error;
        try {
          expected = memoryRows(text);
        } catch (e) {
          expected = e as Error;
        }
        const path = file(text);
        if (expected instanceof Error) {
          expect(() => streamRows(path, chunkBytes)).toThrow(expected.message.replace('mem', path));
          return;
        }
        const s = streamRows(path, chunkBytes);
        expect(s.header).toEqual(expected.header);
        expect(s.rows).toEqual(expected.rows);
        expect(s.lines).toEqual(expected.lines);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('a bad number in a later chunk names its file row', () => {
    const lines = ['x,y'];
    for (let i = 0; i < 3000; i++) lines.push(i === 2500 ? 'oops,1' : `${i},1`);
    const path = file(lines.join('\n') + '\n');
    const stream = openCsvStream(path, { chunkBytes: 1024 });
    let chunks = 0;
    expect(() => {
      for (const { table } of stream.chunks()) {
        chunks++;
        featureMatrix(table, splitColumns(table, ['y']));
      }
    }).toThrow(new RegExp(`${path.replace(/[.\\/]/g, '\\$&')}: row 2502, column 'x': 'oops' is not a finite number`));
    expect(chunks).toBeGreaterThan(3);
  });

  it('structural errors in a later chunk: a ragged row, a stray quote, an unclosed quote', () => {
    const body = Array.from({ length: 2000 }, (_, i) => `${i},1`);
    const cases: [string, RegExp][] = [
      ['1', /row 1802 has 1 fields, the header has 2/],
      ['1,2"x', /row 1802, column 'y': stray quote inside an unquoted field/],
      ['1,"open', /row 1802, column 'y': a quoted field opened on this row is never closed/],
    ];
    for (const [bad, message] of cases) {
      const text = ['x,y', ...body.slice(0, 1800), bad, ...body.slice(1800)].join('\n');
      expect(() => streamRows(file(text), 512)).toThrow(message);
    }
  });

  it('an empty file, a header without rows and a missing file', () => {
    expect(() => openCsvStream(file(''))).toThrow(/the file is empty/);
    expect(() => openCsvStream(file('a,b\n\n  \n'))).toThrow(/has a header but no data rows/);
    expect(() => openCsvStream(join(dir, 'missing.csv'))).toThrow(/cannot read data file '.*missing\.csv': ENOENT/);
    expect(() => openCsvStream(dir)).toThrow(/is a directory, not a regular file/);
  });

  it('keeps the delimiter it detected, and honours a given one', () => {
    expect(streamRows(file('a;b\n1;2\n3;4\n'), 3).rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(streamRows(file('a;b\n1;2\n'), 3, ',').rows).toEqual([['1;2']]);
  });
});
