// A visitor's own small data set: CSV text (two features + label) to rows, and rows to and from the URL.

/** A parsed data set: rows [x1, x2, target]; binary labels are mapped to 0 and 1. */
export interface CsvData {
  rows: [number, number, number][];
  regression: boolean;
  /** What 0 and 1 stand for in the file (binary data), e.g. ['no', 'yes']. */
  classes: [string, string] | null;
}

export const MAX_CSV_ROWS = 1000;

/**
 * Parses CSV text with three columns: feature 1, feature 2, label. A header row is skipped; the
 * delimiter is a comma, semicolon or tab. Two distinct labels make a binary classification
 * (the smaller number, or the first string in sort order, becomes 0); more than two numeric labels
 * make a regression. Throws an Error whose message names the line at fault.
 */
export function parseCsv(text: string): CsvData {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw new Error('the CSV file is empty');
  const delimiter = [',', ';', '\t'].find((d) => lines[0]!.includes(d));
  if (delimiter === undefined) throw new Error('line 1: expected three columns separated by commas, semicolons or tabs');
  const table = lines.map((l) => l.split(delimiter).map((f) => f.trim().replace(/^"(.*)"$/, '$1')));
  const start = isNumber(table[0]![0]!) && isNumber(table[0]![1]!) ? 0 : 1;
  const body = table.slice(start);
  if (body.length < 4) throw new Error(`the CSV file has ${body.length} data rows; at least 4 are needed`);
  if (body.length > MAX_CSV_ROWS) throw new Error(`the CSV file has ${body.length} data rows; the playground takes at most ${MAX_CSV_ROWS}`);
  const points: [number, number, string][] = body.map((fields, i) => {
    const where = `line ${i + start + 1}`;
    if (fields.length !== 3) throw new Error(`${where}: expected 3 columns (x1, x2, label), found ${fields.length}`);
    const [a, b, label] = fields as [string, string, string];
    if (!isNumber(a) || !isNumber(b)) throw new Error(`${where}: the features '${a}' and '${b}' must be numbers`);
    return [Number(a), Number(b), label];
  });
  const labels = [...new Set(points.map((p) => p[2]))];
  const numeric = labels.every(isNumber);
  if (labels.length === 2) {
    const sorted = numeric ? [...labels].sort((u, v) => Number(u) - Number(v)) : [...labels].sort();
    const rows = points.map(([a, b, l]): [number, number, number] => [a, b, l === sorted[0] ? 0 : 1]);
    return { rows, regression: false, classes: [sorted[0]!, sorted[1]!] };
  }
  if (!numeric) throw new Error(`the label column has ${labels.length} distinct text values; use two classes or numeric targets`);
  if (labels.length < 2) throw new Error('the label column has a single value; nothing to learn');
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
