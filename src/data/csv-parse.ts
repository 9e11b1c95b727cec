// CSV text to a table: RFC 4180 quoting, a header row, rows split into fields on demand, numeric
// cells checked with the row and column. No file access: the browser page uses it too (files are read in csv.ts).
import { check, DataError } from '../core/errors.js';

/**
 * A parsed CSV file: the header names and the data rows. Rows are kept as offsets into the text
 * and split into fields on demand, so a large file costs about its own size in memory, not one
 * string object per cell.
 */
export interface CsvTable {
  /** The file name (or label) used in messages. */
  source: string;
  /** The column names, in order. */
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

/** How parseCsv and readCsvFile read a file. */
export interface CsvOptions {
  /** Field separator: one character, or 'auto' (default) to pick among ',', ';' and tab from the first lines. */
  delimiter?: string;
  /**
   * 'required' (default): the first row names the columns, and a first row of numbers only is an
   * error. 'auto': a first row of numbers only is data, and the columns are named '1', '2', ….
   */
  header?: 'required' | 'auto';
  /** The file line the text starts at (default 1), for row numbers in a part of a file read in chunks. */
  firstLine?: number;
}

/** The separators 'auto' chooses from. */
export const AUTO_DELIMITERS = [',', ';', '\t'] as const;

const QUOTE = 34,
  LF = 10,
  CR = 13,
  SPACE = 32,
  TAB = 9;

/**
 * Parses CSV text: a header row naming the columns, RFC 4180 double quotes (a field is quoted whole:
 * `"a ""b"", c"`), \n or \r\n line ends; blank and whitespace-only lines are skipped. Rejects with
 * the row (file line) and column: a quote inside an unquoted field or text after a closing quote, a
 * quote never closed, rows with another number of fields than the header, duplicate column names,
 * and a first row of numbers only (a file without a header; `header: 'auto'` reads it as data).
 */
export function parseCsv(text: string, source = 'CSV', options: CsvOptions = {}): CsvTable {
  const delimiter = resolveDelimiter(text, options.delimiter ?? 'auto', source);
  const d = delimiter.charCodeAt(0);
  let starts: Uint32Array = new Uint32Array(1024);
  let ends: Uint32Array = new Uint32Array(1024);
  let lines: Uint32Array = new Uint32Array(1024);
  let count = 0;
  let header: string[] | null = null;
  /** Index of the first data record: 0 when the file has no header row. */
  let first = 1;
  let line = options.firstLine ?? 1; // the file line of position i
  let i = 0;
  const n = text.length;
  const where = (row: number, field: number): string =>
    `${source}: row ${row}, ${header ? `column '${header[field] ?? `#${field + 1}`}'` : `column ${field + 1} of the header`}`;
  while (i < n) {
    // One record: from i to the first line end outside quotes.
    const start = i,
      startLine = line;
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
        check(
          space,
          DataError,
          () =>
            `${where(startLine, field)}: text after the closing quote of a quoted field; quote the whole field and double the quotes inside ("a ""b"" c")`,
        );
      } else if (c === QUOTE) {
        check(
          fieldStart,
          DataError,
          () =>
            `${where(startLine, field)}: stray quote inside an unquoted field; quote the whole field and double the quotes inside ("a ""b"" c")`,
        );
        quoted = true;
        fieldStart = false;
      } else if (!space) {
        fieldStart = false;
      }
    }
    check(
      !quoted,
      DataError,
      () => `${where(startLine, field)}: a quoted field opened on this row is never closed (a stray quote?)`,
    );
    const end = i;
    if (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF) i++;
    i++;
    line++;
    if (blank) continue;
    if (header === null) {
      header = splitRecord(text, start, end, d).map((h) => h.trim());
      if (options.header === 'auto' && allNumbers(header)) {
        header = header.map((_, k) => String(k + 1));
        first = 0;
      } else {
        checkHeader(header, startLine, source);
      }
    } else {
      check(
        field + 1 === header.length,
        DataError,
        () =>
          `${source}: row ${startLine} has ${field + 1} fields, the header has ${header!.length}` +
          (field === 0 && header!.length > 1
            ? ` (is '${printable(delimiter)}' the field separator? see --delimiter)`
            : ''),
      );
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
  check(count > first, DataError, () => `${source}: the file has a header but no data rows`);
  const rows = count - first;
  const inRange = (r: number): void =>
    check(
      Number.isInteger(r) && r >= 0 && r < rows,
      DataError,
      () => `${source}: row index ${r} out of range [0, ${rows})`,
    );
  return {
    source,
    header,
    delimiter,
    rowCount: rows,
    row: (r: number): string[] => {
      inRange(r);
      return splitRecord(text, starts[r + first]!, ends[r + first]!, d);
    },
    rowNumber: (r: number): number => {
      inRange(r);
      return lines[r + first]!;
    },
  };
}

/** Column names must be unique (a name picks one column), and a first row of numbers is data, not names. */
function checkHeader(header: string[], row: number, source: string): void {
  const seen = new Map<string, number>();
  header.forEach((name, k) => {
    const first = seen.get(name);
    check(
      first === undefined,
      DataError,
      () =>
        `${source}: row ${row}: column name '${name}' appears twice (columns ${first! + 1} and ${k + 1}); column names must be unique`,
    );
    seen.set(name, k);
  });
  check(
    !allNumbers(header),
    DataError,
    () =>
      `${source}: row ${row} holds only numbers (${header.slice(0, 4).join(', ')}${header.length > 4 ? ', ...' : ''}): ` +
      `the file seems to have no header row; its first line must name the columns`,
  );
}

function allNumbers(fields: string[]): boolean {
  return fields.every((h) => h.trim() !== '' && Number.isFinite(Number(h)));
}

/** The delimiter to use: a given single character, or the one of AUTO_DELIMITERS the first lines agree on. */
export function resolveDelimiter(text: string, option: string, source: string): string {
  if (option !== 'auto') {
    check(
      option.length === 1 && option !== '"' && option !== '\n' && option !== '\r',
      DataError,
      () =>
        `${source}: the delimiter must be one character other than a quote or a line end, got '${printable(option)}'`,
    );
    return option;
  }
  // Sample the first non-blank lines (quotes are honoured within a line only; good enough to choose).
  const sample = text
    .slice(0, 65536)
    .split(/\r?\n|\r/)
    .filter((l) => l.trim() !== '')
    .slice(0, 20);
  if (sample.length === 0) return ',';
  let best = ',',
    bestScore = -1;
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
  let fields = 1,
    quoted = false;
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
