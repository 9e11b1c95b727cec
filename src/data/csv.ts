// CSV data: a header row, numeric features, target columns by name, class labels encoded one-hot.
import { readFileSync } from 'node:fs';
import { DataError, check } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';

export type Label = string | number;

/** A parsed CSV file: header names and the raw cell strings, row by row. */
export interface CsvTable {
  source: string;
  header: string[];
  rows: string[][];
}

/** Parses CSV text (comma separated, RFC 4180 double quotes, \n or \r\n line ends). */
export function parseCsv(text: string, source = 'CSV'): CsvTable {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      record.push(field);
      field = '';
      if (!(record.length === 1 && record[0] === '')) records.push(record);
      record = [];
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += c;
    }
    i++;
  }
  check(!quoted, DataError, () => `${source}: unterminated quoted field at the end of the file`);
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  check(records.length > 0, DataError, () => `${source}: the file is empty (expected a header row and data rows)`);
  const header = records[0]!.map((h) => h.trim());
  const rows = records.slice(1);
  check(rows.length > 0, DataError, () => `${source}: the file has a header but no data rows`);
  rows.forEach((r, k) => check(r.length === header.length, DataError, () => `${source}: row ${k + 2} has ${r.length} fields, the header has ${header.length}`));
  return { source, header, rows };
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
  const m = table.rows.length, f = columns.featureIndex.length;
  const data = new Float32Array(m * f);
  for (let r = 0; r < m; r++) {
    const row = table.rows[r]!;
    for (let j = 0; j < f; j++) {
      const k = columns.featureIndex[j]!;
      data[r * f + j] = parseNumber(row[k]!, table, r, table.header[k]!);
    }
  }
  return new Tensor(data, [m, f]);
}

/** Numeric targets [m, targets] (regression; multilabel 0/1 columns). */
export function numericTargets(table: CsvTable, columns: SplitColumns, binary = false): Tensor {
  const m = table.rows.length, t = columns.targetIndex.length;
  const data = new Float32Array(m * t);
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < t; j++) {
      const k = columns.targetIndex[j]!;
      const v = parseNumber(table.rows[r]![k]!, table, r, table.header[k]!);
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
  return table.rows.map((row, r) => {
    const v = row[k]!.trim();
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
