// Tables read from columnar files (Parquet, Arrow, NumPy) as the CsvTable the CSV path produces:
// column names plus a row accessor, so that the target selection, the numeric checks and the label
// encoding are the CSV path's own. Cells become the text a CSV would hold: numbers written out,
// booleans 1/0, missing values empty (which the numeric checks reject with the row and column).
import { DataError } from '../core/errors.js';
import type { CsvTable } from './csv.js';

/** One column: its values in row order (numbers, bigints, strings, booleans or null for missing). */
export type ColumnValues = ArrayLike<unknown>;

/** A CsvTable over named columns of equal length. */
export function columnTable(source: string, names: string[], columns: ColumnValues[]): CsvTable {
  if (names.length === 0) throw new DataError(`${source}: the file has no columns`);
  const rowCount = columns[0]!.length;
  columns.forEach((c, k) => {
    if (c.length !== rowCount)
      throw new DataError(`${source}: column '${names[k]}' has ${c.length} rows, column '${names[0]}' has ${rowCount}`);
  });
  const duplicate = names.find((n, k) => names.indexOf(n) !== k);
  if (duplicate !== undefined) throw new DataError(`${source}: two columns are named '${duplicate}'`);
  if (rowCount === 0) throw new DataError(`${source}: the file has columns but no rows`);
  return {
    source,
    header: names,
    // Not a text file: there is no separator, and rows are numbered from 1 (no header line).
    delimiter: '',
    rowCount,
    rowNumber: (r: number): number => r + 1,
    row(r: number): string[] {
      if (!Number.isInteger(r) || r < 0 || r >= rowCount)
        throw new DataError(`${source}: row index ${r} out of range [0, ${rowCount})`);
      return columns.map((c, k) => cellText(c[r], source, r, names[k]!));
    },
  };
}

function cellText(v: unknown, source: string, r: number, column: string): string {
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return String(v);
    case 'string':
      return v;
    case 'boolean':
      return v ? '1' : '0';
    case 'undefined':
      return '';
    default:
      if (v === null) return '';
      throw new DataError(
        `${source}: row ${r}, column '${column}': a ${v instanceof Date ? 'date' : Array.isArray(v) ? 'list' : typeof v} value; only numbers, booleans and text are supported`,
      );
  }
}
