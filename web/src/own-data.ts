// A visitor's own small data set: a CSV file (parsed by the library) read as two features and a
// label, and its rows to and from the URL.
import { parseCsv, parseNumber } from '../../src/index.js';

/** A visitor's data set: rows [x1, x2, target]; binary labels are mapped to 0 and 1. */
export interface CsvData {
  rows: [number, number, number][];
  regression: boolean;
  /** What 0 and 1 stand for in the file (binary data), e.g. ['no', 'yes']. */
  classes: [string, string] | null;
}

export const MAX_CSV_ROWS = 1000;

/**
 * Reads CSV text with three columns: feature 1, feature 2, label. The header row is optional (a
 * first row of numbers is data); the delimiter is a comma, semicolon or tab. Two distinct labels
 * make a binary classification (the smaller number, or the first string in sort order, becomes 0);
 * more than two numeric labels make a regression. Every error message starts with `source`; the
 * library's name the row (file line) and column at fault.
 */
export function readOwnCsv(text: string, source = 'CSV'): CsvData {
  const table = parseCsv(text, source, { header: 'auto' });
  const columns = table.header.length;
  if (columns !== 3)
    throw new Error(`${source}: expected 3 columns (x1, x2, label), found ${columns}: ${table.header.join(', ')}`);
  if (table.rowCount < 4) throw new Error(`${source}: the file has ${table.rowCount} data rows; at least 4 are needed`);
  if (table.rowCount > MAX_CSV_ROWS)
    throw new Error(
      `${source}: the file has ${table.rowCount} data rows; the playground takes at most ${MAX_CSV_ROWS}`,
    );
  const points = Array.from({ length: table.rowCount }, (_, r): [number, number, string] => {
    const [a, b, label] = table.row(r) as [string, string, string];
    return [parseNumber(a, table, r, table.header[0]!), parseNumber(b, table, r, table.header[1]!), label.trim()];
  });
  const labels = [...new Set(points.map((p) => p[2]))];
  const numeric = labels.every(isNumber);
  if (labels.length === 2) {
    const sorted = numeric ? [...labels].sort((u, v) => Number(u) - Number(v)) : [...labels].sort();
    const rows = points.map(([a, b, l]): [number, number, number] => [a, b, l === sorted[0] ? 0 : 1]);
    return { rows, regression: false, classes: [sorted[0]!, sorted[1]!] };
  }
  if (labels.length < 2) throw new Error(`${source}: the label column has a single value; nothing to learn`);
  if (!numeric)
    throw new Error(
      `${source}: the label column has ${labels.length} distinct text values; use two classes or numeric targets`,
    );
  return { rows: points.map(([a, b, l]) => [a, b, Number(l)]), regression: true, classes: null };
}

function isNumber(s: string): boolean {
  return s.trim() !== '' && Number.isFinite(Number(s));
}

// URL form: values joined by '_', rows by '*' (characters a query string keeps unescaped), each value
// rounded to 4 significant digits so a 1 000-row file stays a usable link.
const VALUE = '_';
const ROW = '*';

/** Rows to their URL form; decodeRows(encodeRows(r)) equals r rounded to 4 significant digits. */
export function encodeRows(rows: readonly (readonly number[])[]): string {
  return rows.map((r) => r.map((v) => String(Number(v.toPrecision(4)))).join(VALUE)).join(ROW);
}

/** The rows of a URL's csv field; null when it is malformed. */
export function decodeRows(encoded: string): [number, number, number][] | null {
  if (encoded === '') return null;
  const rows: [number, number, number][] = [];
  for (const part of encoded.split(ROW)) {
    const values = part.split(VALUE).map(Number);
    if (values.length !== 3 || !values.every(Number.isFinite)) return null;
    rows.push(values as [number, number, number]);
  }
  return rows.length > MAX_CSV_ROWS ? null : rows;
}

/** Whether decoded rows are a regression (labels other than 0 and 1). */
export function rowsAreRegression(rows: readonly (readonly number[])[]): boolean {
  return rows.some((r) => r[2] !== 0 && r[2] !== 1);
}
