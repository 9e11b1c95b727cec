// The CSV text parser of the browser-safe entry: no file access in its module graph, the same
// parser the Node entry re-exports, and files without a header row on request.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as browser from '../../src/index.js';
import * as node from '../../src/node.js';

/** Every module src/data/csv-parse.ts imports, transitively (relative imports only). */
function moduleGraph(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)\.js'/gm))
      visit(resolve(dirname(file), `${m[1]}.ts`));
  };
  visit(entry);
  return seen;
}

describe('csv-parse', () => {
  it('imports no Node module (the playground bundles it)', () => {
    const graph = moduleGraph(resolve(import.meta.dirname, '../../src/data/csv-parse.ts'));
    expect(graph.size).toBeGreaterThan(1);
    for (const [file, text] of graph) expect(text, file).not.toMatch(/from 'node:/);
  });

  it('is the parser both entries export', () => {
    expect(browser.parseCsv).toBe(node.parseCsv);
    expect(browser.parseNumber).toBe(node.parseNumber);
  });

  it("header 'auto' reads a first row of numbers as data, with the columns named 1, 2, …", () => {
    const t = browser.parseCsv('\n1;2;-1\r\n3;4;1\r\n', 'mine.csv', { header: 'auto' });
    expect(t.header).toEqual(['1', '2', '3']);
    expect(t.rowCount).toBe(2);
    expect([t.row(0), t.row(1)]).toEqual([
      ['1', '2', '-1'],
      ['3', '4', '1'],
    ]);
    expect([t.rowNumber(0), t.rowNumber(1)]).toEqual([2, 3]);
    expect(() => browser.parseNumber('x', t, 1, t.header[0]!)).toThrow(
      /mine\.csv: row 3, column '1': 'x' is not a finite number/,
    );
    expect(() => t.row(2)).toThrow(/row index 2 out of range \[0, 2\)/);
  });

  it("header 'auto' keeps a named header, and the default still rejects a file without one", () => {
    const t = browser.parseCsv('x,y,label\n1,2,a\n', 'f.csv', { header: 'auto' });
    expect(t.header).toEqual(['x', 'y', 'label']);
    expect(t.rowCount).toBe(1);
    expect(() => browser.parseCsv('1,2\n3,4\n', 'f.csv')).toThrow(
      /f\.csv: row 1 holds only numbers \(1, 2\): the file seems to have no header row/,
    );
    expect(() => browser.parseCsv('a,b\n', 'f.csv', { header: 'auto' })).toThrow(/has a header but no data rows/);
    expect(() => browser.parseCsv('1,2\n3\n', 'f.csv', { header: 'auto' })).toThrow(
      /row 2 has 1 fields, the header has 2/,
    );
  });
});
