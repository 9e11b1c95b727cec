// CSV data: a header row, numeric features, target columns by name, class labels encoded one-hot.
import { constants as bufferConstants } from 'node:buffer';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { DataError, check } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { checkRegularFile } from '../io/regular-file.js';
import { labelKey, sortLabels, type Label } from './labels.js';

export { sortLabels, type Label };

/**
 * A parsed CSV file: the header names and the data rows. Rows are kept as offsets into the text
 * and split into fields on demand, so a large file costs about its own size in memory, not one
 * string object per cell.
 */
export interface CsvTable {
  source: string;
  header: string[];
  /** The field separator used (given or detected). */
  delimiter: string;
  /** Number of data rows (the header excluded). */
  rowCount: number;
  /** The fields of data row `r` (0-based). */
  row(r: number): string[];
  /** The 1-based line of the file where data row `r` starts, as an editor numbers it (the header is usually 1). */
  rowNumber(r: number): number;
}

export interface CsvOptions {
  /** Field separator: one character, or 'auto' (default) to pick among ',', ';' and tab from the first lines. */
  delimiter?: string;
  /** The file line the text starts at (default 1), for row numbers in a part of a file read in chunks. */
  firstLine?: number;
}

/** The separators 'auto' chooses from. */
export const AUTO_DELIMITERS = [',', ';', '\t'] as const;

const QUOTE = 34, LF = 10, CR = 13, SPACE = 32, TAB = 9;

/**
 * Parses CSV text: a header row naming the columns, RFC 4180 double quotes (a field is quoted whole:
 * `"a ""b"", c"`), \n or \r\n line ends; blank and whitespace-only lines are skipped. Rejects with
 * the row (file line) and column: a quote inside an unquoted field or text after a closing quote, a
 * quote never closed, rows with another number of fields than the header, duplicate column names,
 * and a first row of numbers only (a file without a header).
 */
export function parseCsv(text: string, source = 'CSV', options: CsvOptions = {}): CsvTable {
  const delimiter = resolveDelimiter(text, options.delimiter ?? 'auto', source);
  const d = delimiter.charCodeAt(0);
  let starts: Uint32Array = new Uint32Array(1024);
  let ends: Uint32Array = new Uint32Array(1024);
  let lines: Uint32Array = new Uint32Array(1024);
  let count = 0;
  let header: string[] | null = null;
  let line = options.firstLine ?? 1; // the file line of position i
  let i = 0;
  const n = text.length;
  const where = (row: number, field: number): string =>
    `${source}: row ${row}, ${header ? `column '${header[field] ?? `#${field + 1}`}'` : `column ${field + 1} of the header`}`;
  while (i < n) {
    // One record: from i to the first line end outside quotes.
    const start = i, startLine = line;
    let field = 0;
    let fieldStart = true; // only spaces seen so far in this field
    let quoted = false;
    let closed = false; // after the closing quote of a quoted field
    let blank = true;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (quoted) {
        if (c === QUOTE) {
          if (text.charCodeAt(i + 1) === QUOTE) i++;
          else (quoted = false), (closed = true);
        } else if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) line++;
        continue;
      }
      if (c > QUOTE && c !== d && !closed) {
        // The common case: a character of an unquoted value (digits, letters, '.', '-').
        blank = false;
        fieldStart = false;
        continue;
      }
      if (c === LF || c === CR) break;
      if (c === d) {
        field++;
        fieldStart = true;
        closed = false;
        blank = false;
        continue;
      }
      const space = c === SPACE || c === TAB;
      if (!space) blank = false;
      if (closed) {
        check(space, DataError, () => `${where(startLine, field)}: text after the closing quote of a quoted field; quote the whole field and double the quotes inside ("a ""b"" c")`);
      } else if (c === QUOTE) {
        check(fieldStart, DataError, () => `${where(startLine, field)}: stray quote inside an unquoted field; quote the whole field and double the quotes inside ("a ""b"" c")`);
        quoted = true;
        fieldStart = false;
      } else if (!space) {
        fieldStart = false;
      }
    }
    check(!quoted, DataError, () => `${where(startLine, field)}: a quoted field opened on this row is never closed (a stray quote?)`);
    const end = i;
    if (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF) i++;
    i++;
    line++;
    if (blank) continue;
    if (header === null) {
      header = splitRecord(text, start, end, d).map((h) => h.trim());
      checkHeader(header, startLine, source);
    } else {
      check(field + 1 === header.length, DataError, () => `${source}: row ${startLine} has ${field + 1} fields, the header has ${header!.length}` +
        (field === 0 && header!.length > 1 ? ` (is '${printable(delimiter)}' the field separator? see --delimiter)` : ''));
    }
    if (count === starts.length) {
      starts = grow(starts);
      ends = grow(ends);
      lines = grow(lines);
    }
    starts[count] = start;
    ends[count] = end;
    lines[count] = startLine;
    count++;
  }
  check(header !== null, DataError, () => `${source}: the file is empty (expected a header row and data rows)`);
  check(count > 1, DataError, () => `${source}: the file has a header but no data rows`);
  const inRange = (r: number): void =>
    check(Number.isInteger(r) && r >= 0 && r < count - 1, DataError, () => `${source}: row index ${r} out of range [0, ${count - 1})`);
  return {
    source,
    header,
    delimiter,
    rowCount: count - 1,
    row: (r: number): string[] => {
      inRange(r);
      return splitRecord(text, starts[r + 1]!, ends[r + 1]!, d);
    },
    rowNumber: (r: number): number => {
      inRange(r);
      return lines[r + 1]!;
    },
  };
}

/** Column names must be unique (a name picks one column), and a first row of numbers is data, not names. */
function checkHeader(header: string[], row: number, source: string): void {
  const seen = new Map<string, number>();
  header.forEach((name, k) => {
    const first = seen.get(name);
    check(first === undefined, DataError, () => `${source}: row ${row}: column name '${name}' appears twice (columns ${first! + 1} and ${k + 1}); column names must be unique`);
    seen.set(name, k);
  });
  const numeric = header.every((h) => h !== '' && Number.isFinite(Number(h)));
  check(!numeric, DataError, () => `${source}: row ${row} holds only numbers (${header.slice(0, 4).join(', ')}${header.length > 4 ? ', ...' : ''}): ` +
    `the file seems to have no header row; its first line must name the columns`);
}

/** The delimiter to use: a given single character, or the one of AUTO_DELIMITERS the first lines agree on. */
export function resolveDelimiter(text: string, option: string, source: string): string {
  if (option !== 'auto') {
    check(option.length === 1 && option !== '"' && option !== '\n' && option !== '\r', DataError,
      () => `${source}: the delimiter must be one character other than a quote or a line end, got '${printable(option)}'`);
    return option;
  }
  // Sample the first non-blank lines (quotes are honoured within a line only; good enough to choose).
  const sample = text.slice(0, 65536).split(/\r?\n|\r/).filter((l) => l.trim() !== '').slice(0, 20);
  if (sample.length === 0) return ',';
  let best = ',', bestScore = -1;
  for (const candidate of AUTO_DELIMITERS) {
    const counts = sample.map((l) => countFields(l, candidate.charCodeAt(0)));
    const fields = counts[0]!;
    if (fields < 2) continue;
    // Rows agreeing with the header count most; then the number of fields.
    const score = counts.filter((c) => c === fields).length * 1e6 + fields;
    if (score > bestScore) (best = candidate), (bestScore = score);
  }
  return best;
}

function countFields(line: string, d: number): number {
  let fields = 1, quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (c === d && !quoted) fields++;
  }
  return fields;
}

function printable(delimiter: string): string {
  return delimiter === '\t' ? '\\t' : delimiter;
}

function grow(a: Uint32Array): Uint32Array {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Splits one record (already validated by parseCsv) into fields, undoing RFC 4180 quoting. Spaces
 * around a quoted field are dropped; an unquoted field is kept as written.
 */
function splitRecord(text: string, start: number, end: number, d: number): string[] {
  const fields: string[] = [];
  let i = start;
  while (true) {
    let j = i;
    while (j < end && (text.charCodeAt(j) === SPACE || text.charCodeAt(j) === TAB) && text.charCodeAt(j) !== d) j++;
    let stop: number;
    if (j < end && text.charCodeAt(j) === QUOTE) {
      let value = '';
      j++;
      while (true) {
        const q = text.indexOf('"', j);
        value += text.slice(j, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      fields.push(value);
      stop = j;
      while (stop < end && text.charCodeAt(stop) !== d) stop++;
    } else {
      stop = i;
      while (stop < end && text.charCodeAt(stop) !== d) stop++;
      fields.push(text.slice(i, stop));
    }
    if (stop >= end) break;
    i = stop + 1; // past the delimiter
    if (i === end) {
      fields.push('');
      break;
    }
  }
  return fields;
}

/**
 * Largest CSV file read: its text must fit in one JavaScript string (a file of N bytes decodes to at
 * most N UTF-16 code units).
 */
export const MAX_CSV_BYTES = bufferConstants.MAX_STRING_LENGTH;

/**
 * Reads and parses a CSV file. Only regular files are read (not a directory, a device such as
 * /dev/zero or a FIFO, whose reading never ends), and only up to MAX_CSV_BYTES.
 */
export function readCsvFile(path: string, options: CsvOptions = {}): CsvTable {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (e) {
    throw new DataError(`cannot read data file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  checkRegularFile(stat, `data file '${path}'`, MAX_CSV_BYTES, DataError, 'the text of a CSV file must fit in one JavaScript string');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError(`cannot read data file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseCsv(text, path, options);
}

/** Largest magnitude a float32 holds; a larger cell would become Infinity in the model's tensors. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Parses one numeric cell of data row `row` (0-based); rejects empty cells, text, NaN, ±Infinity and
 * values beyond the float32 range with the file, row (file line) and column.
 */
export function parseNumber(cell: string, table: CsvTable, row: number, column: string): number {
  const s = cell.trim();
  const v = s === '' ? NaN : Number(s);
  if (Number.isFinite(v) && Math.abs(v) <= FLOAT32_MAX) return v;
  const where = `${table.source}: row ${table.rowNumber(row)}, column '${column}'`;
  if (s === '') throw new DataError(`${where}: empty value`);
  if (Number.isFinite(v)) throw new DataError(`${where}: ${s} is beyond the float32 range (±3.4e38)`);
  const decimalComma = /^[+-]?\d*,\d+$/.test(s) ? " (use '.' as the decimal separator)" : '';
  throw new DataError(`${where}: '${s}' is not a finite number${decimalComma}`);
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
      check(!binary || v === 0 || v === 1, DataError, () => `${table.source}: row ${table.rowNumber(r)}, column '${table.header[k]}': multi-label targets must be 0 or 1, got ${v}`);
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
    check(v !== '', DataError, () => `${table.source}: row ${table.rowNumber(r)}, column '${table.header[k]}': empty label`);
    return v;
  });
}

/**
 * One-hot targets [m, K] for labels against the model's label list; an unseen label is an error.
 * Numeric labels match by value ('1.0' is the label 1). `rowNumber` gives the file line of value r
 * for messages (default r + 2: a header on line 1, no blank lines).
 */
export function oneHot(values: string[], labels: Label[], source: string, column = 'label', rowNumber: (r: number) => number = (r) => r + 2): Tensor {
  const index = new Map<string, number>();
  labels.forEach((l, k) => index.set(String(l), k));
  const numeric = labels.every((l) => typeof l === 'number');
  const m = values.length, K = labels.length;
  const data = new Float32Array(m * K);
  values.forEach((v, r) => {
    const k = index.get(labelKey(v, numeric));
    check(k !== undefined, DataError, () => `${source}: row ${rowNumber(r)}, column '${column}': label '${v}' was not seen in training (known labels: ${labels.join(', ')})`);
    data[r * K + k] = 1;
  });
  return new Tensor(data, [m, K]);
}
