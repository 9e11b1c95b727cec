// CSV data: a header row, numeric features, target columns by name, class labels encoded one-hot.
import { readFileSync } from 'node:fs';
import { DataError, check } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';

export type Label = string | number;

/**
 * A parsed CSV file: the header names and the data rows. Rows are kept as offsets into the text
 * and split into fields on demand, so a large file costs about its own size in memory, not one
 * string object per cell.
 */
export interface CsvTable {
  source: string;
  header: string[];
  /** Number of data rows (the header excluded). */
  rowCount: number;
  /** The fields of data row `r` (0-based; file line r + 2 when there are no quoted newlines). */
  row(r: number): string[];
}

/** Parses CSV text (comma separated, RFC 4180 double quotes, \n or \r\n line ends, blank lines skipped). */
export function parseCsv(text: string, source = 'CSV'): CsvTable {
  let starts: Uint32Array = new Uint32Array(1024);
  let ends: Uint32Array = new Uint32Array(1024);
  let count = 0;
  let headerFields = -1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // One record: from i to the first line end outside quotes.
    const start = i;
    let fields = 1;
    let quoted = false;
    let blank = true;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (quoted) {
        if (c === 34 /* " */) quoted = text.charCodeAt(i + 1) === 34 ? (i++, true) : false;
        continue;
      }
      if (c === 10 || c === 13) break;
      blank = false;
      if (c === 34) quoted = true;
      else if (c === 44 /* , */) fields++;
    }
    check(!quoted, DataError, () => `${source}: unterminated quoted field in the record starting at character ${start}`);
    const end = i;
    if (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10) i++;
    i++;
    if (blank) continue;
    if (headerFields < 0) {
      headerFields = fields;
    } else {
      check(fields === headerFields, DataError, () => `${source}: row ${count + 1} has ${fields} fields, the header has ${headerFields}`);
    }
    if (count === starts.length) {
      starts = grow(starts);
      ends = grow(ends);
    }
    starts[count] = start;
    ends[count] = end;
    count++;
  }
  check(count > 0, DataError, () => `${source}: the file is empty (expected a header row and data rows)`);
  check(count > 1, DataError, () => `${source}: the file has a header but no data rows`);
  const header = splitRecord(text, starts[0]!, ends[0]!).map((h) => h.trim());
  return {
    source,
    header,
    rowCount: count - 1,
    row: (r: number): string[] => {
      check(Number.isInteger(r) && r >= 0 && r < count - 1, DataError, () => `${source}: row index ${r} out of range [0, ${count - 1})`);
      return splitRecord(text, starts[r + 1]!, ends[r + 1]!);
    },
  };
}

function grow(a: Uint32Array): Uint32Array {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Splits one record (no line ends outside quotes) into fields, undoing RFC 4180 quoting. */
function splitRecord(text: string, start: number, end: number): string[] {
  const fields: string[] = [];
  let i = start;
  while (true) {
    if (text.charCodeAt(i) === 34) {
      let value = '';
      i++;
      while (i < end) {
        const q = text.indexOf('"', i);
        if (q < 0 || q >= end) {
          value += text.slice(i, end);
          i = end;
          break;
        }
        value += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      // Anything between the closing quote and the comma is kept, as lenient readers do.
      const comma = text.indexOf(',', i);
      const stop = comma < 0 || comma >= end ? end : comma;
      fields.push(value + text.slice(i, stop));
      i = stop;
    } else {
      const comma = text.indexOf(',', i);
      const stop = comma < 0 || comma >= end ? end : comma;
      fields.push(text.slice(i, stop));
      i = stop;
    }
    if (i >= end) break;
    i++; // the comma
    if (i === end) {
      fields.push('');
      break;
    }
  }
  return fields;
}

export function readCsvFile(path: string): CsvTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError(`cannot read data file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseCsv(text, path);
}

/** Parses one numeric cell; rejects empty cells, text, NaN and ±Infinity with the row and column. */
export function parseNumber(cell: string, table: CsvTable, row: number, column: string): number {
  const s = cell.trim();
  const v = s === '' ? NaN : Number(s);
  check(Number.isFinite(v), DataError, () => `${table.source}: row ${row + 2}, column '${column}': ${s === '' ? 'empty value' : `'${s}' is not a finite number`}`);
  return v;
}

/** Ascending label order: numbers compared as numbers when every label is numeric, otherwise strings. */
export function sortLabels(labels: Iterable<string>): Label[] {
  const unique = [...new Set(labels)];
  const numeric = unique.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  if (numeric) return unique.map(Number).sort((a, b) => a - b);
  return unique.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface SplitColumns {
  featureNames: string[];
  targetNames: string[];
  featureIndex: number[];
  targetIndex: number[];
}

/** Resolves the target columns by name (default: the last column); every other column is a feature. */
export function splitColumns(table: CsvTable, targets?: string[]): SplitColumns {
  const names = targets && targets.length > 0 ? targets : [table.header[table.header.length - 1]!];
  const targetIndex = names.map((name) => {
    const k = table.header.indexOf(name);
    check(k >= 0, DataError, () => `${table.source}: target column '${name}' not found; columns are ${table.header.join(', ')}`);
    return k;
  });
  const featureIndex = table.header.map((_, k) => k).filter((k) => !targetIndex.includes(k));
  check(featureIndex.length > 0, DataError, () => `${table.source}: no feature columns left after taking the targets ${names.join(', ')}`);
  return { featureNames: featureIndex.map((k) => table.header[k]!), targetNames: names, featureIndex, targetIndex };
}

/** The feature matrix [m, features] (float32). */
export function featureMatrix(table: CsvTable, columns: SplitColumns): Tensor {
  const m = table.rowCount, f = columns.featureIndex.length;
  const data = new Float32Array(m * f);
  for (let r = 0; r < m; r++) {
    const row = table.row(r);
    for (let j = 0; j < f; j++) {
      const k = columns.featureIndex[j]!;
      data[r * f + j] = parseNumber(row[k]!, table, r, table.header[k]!);
    }
  }
  return new Tensor(data, [m, f]);
}

/** Numeric targets [m, targets] (regression; multilabel 0/1 columns). */
export function numericTargets(table: CsvTable, columns: SplitColumns, binary = false): Tensor {
  const m = table.rowCount, t = columns.targetIndex.length;
  const data = new Float32Array(m * t);
  for (let r = 0; r < m; r++) {
    const row = table.row(r);
    for (let j = 0; j < t; j++) {
      const k = columns.targetIndex[j]!;
      const v = parseNumber(row[k]!, table, r, table.header[k]!);
      check(!binary || v === 0 || v === 1, DataError, () => `${table.source}: row ${r + 2}, column '${table.header[k]}': multi-label targets must be 0 or 1, got ${v}`);
      data[r * t + j] = v;
    }
  }
  return new Tensor(data, [m, t]);
}

/** The labels of a single target column, in row order, as strings. */
export function labelColumn(table: CsvTable, columns: SplitColumns): string[] {
  check(columns.targetIndex.length === 1, DataError, () => `${table.source}: classification takes exactly one target column, got ${columns.targetNames.join(', ')}`);
  const k = columns.targetIndex[0]!;
  return Array.from({ length: table.rowCount }, (_, r) => {
    const v = table.row(r)[k]!.trim();
    check(v !== '', DataError, () => `${table.source}: row ${r + 2}, column '${table.header[k]}': empty label`);
    return v;
  });
}

/** One-hot targets [m, K] for labels against the model's label list; an unseen label is an error. */
export function oneHot(values: string[], labels: Label[], source: string, column = 'label'): Tensor {
  const index = new Map<string, number>();
  labels.forEach((l, k) => index.set(String(l), k));
  const numeric = labels.every((l) => typeof l === 'number');
  const m = values.length, K = labels.length;
  const data = new Float32Array(m * K);
  values.forEach((v, r) => {
    const key = numeric && Number.isFinite(Number(v)) ? String(Number(v)) : v;
    const k = index.get(key);
    check(k !== undefined, DataError, () => `${source}: row ${r + 2}, column '${column}': label '${v}' was not seen in training (known labels: ${labels.join(', ')})`);
    data[r * K + k] = 1;
  });
  return new Tensor(data, [m, K]);
}
