// Tables by file extension, in one place: CSV (.csv and anything else), Parquet (.parquet), Arrow
// IPC / Feather v2 (.arrow, .feather, .ipc) and NumPy (.npy, .npz). Every reader produces the
// CsvTable the CSV path produces, so targets, tasks, splits and scalers work alike.
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { ConfigError, check, DataError, FormatError } from '../core/errors.js';
import { formatBytes } from '../io/regular-file.js';
import { type ColumnValues, columnTable } from './column-table.js';
import { type CsvOptions, type CsvTable, readCsvFile } from './csv.js';
import { openCsvStream } from './csv-stream.js';
import { type NpyArray, parseNpy, parseNpz } from './npy.js';
import { openParquetStream } from './parquet-stream.js';
import type { TableStream } from './table-stream.js';

/** The table file formats readTableFile reads. */
export type TableFormat = 'csv' | 'parquet' | 'arrow' | 'npy' | 'npz';

const EXTENSIONS: Record<string, TableFormat> = {
  '.parquet': 'parquet',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
  '.npy': 'npy',
  '.npz': 'npz',
};

/** The table format of a file, by its extension (CSV unless it is one of the others). */
export function tableFormat(path: string): TableFormat {
  return EXTENSIONS[extname(path).toLowerCase()] ?? 'csv';
}

/** How readTableFile reads a file (each option concerns one format). */
export interface TableOptions {
  /** CSV files: the field separator ('auto' or one character; see readCsvFile). */
  delimiter?: CsvOptions['delimiter'];
  /** .npz: the array of features (default `x`). */
  features?: string;
  /** .npz: the array of targets (default `y`). */
  target?: string;
}

/** A table and, for NumPy files, the names of its target columns (taken from the array layout). */
export interface TableFile {
  /** The columns as a CsvTable, whatever the file format. */
  table: CsvTable;
  /** Target column names implied by the file (.npy: the last column; .npz: the target array), else null. */
  targets: string[] | null;
}

/**
 * Reads a table file by extension. Column names: Parquet and Arrow their own; a 2-D .npy array
 * `c0 … c{n−1}` (the last the default target); an .npz the features array's columns `x0 …` and the
 * target array's name (`y`, or `y0 …` when it has several columns).
 *
 * @example
 *   const { table } = await readTableFile('data/iris.parquet');
 *   table.header  // ['sepal_length', …, 'species']
 */
export async function readTableFile(path: string, options: TableOptions = {}): Promise<TableFile> {
  const format = tableFormat(path);
  if (format !== 'npz')
    check(
      options.features === undefined,
      ConfigError,
      () => `--features names an array of an .npz file; ${basename(path)} is ${format}`,
    );
  if (format === 'csv') return { table: readCsvFile(path, { delimiter: options.delimiter }), targets: null };
  const bytes = readBytes(path);
  switch (format) {
    case 'parquet':
      return { table: await parquetTable(bytes, path), targets: null };
    case 'arrow':
      return { table: await arrowTable(bytes, path), targets: null };
    case 'npy':
      return npyTable(parseNpy(bytes, path), path);
    case 'npz':
      return npzTable(parseNpz(bytes, path), path, options);
  }
}

/** Formats read in chunks (streamed); the others are read whole. */
export const STREAMED_FORMATS: readonly TableFormat[] = ['csv', 'parquet'];

/**
 * Opens a CSV or Parquet file for reading in chunks (see TableStream); other formats are read whole
 * and are refused here.
 *
 * @example
 *   const stream = await openTableStream('big.parquet');
 *   for (const { table } of stream.chunks()) console.log(table.rowCount);
 */
export async function openTableStream(
  path: string,
  options: Pick<TableOptions, 'delimiter'> = {},
): Promise<TableStream> {
  const format = tableFormat(path);
  switch (format) {
    case 'csv':
      return openCsvStream(path, { delimiter: options.delimiter });
    case 'parquet':
      return openParquetStream(path);
    default:
      throw new ConfigError(
        `${basename(path)}: ${format === 'arrow' ? 'Arrow / Feather' : `.${format}`} files are read whole, not streamed; ` +
          `streaming reads CSV and Parquet files (convert the file to one of those to read it in bounded memory)`,
      );
  }
}

/**
 * Largest file read whole (Parquet without streaming, Arrow, NumPy): Node's largest Buffer. Larger
 * CSV and Parquet files are streamed instead.
 */
const MAX_WHOLE_BYTES = 2 ** 31 - 1;

function readBytes(path: string): Uint8Array {
  try {
    const size = statSync(path).size;
    check(
      size <= MAX_WHOLE_BYTES,
      DataError,
      () =>
        `data file '${path}' is ${formatBytes(size)}; ${tableFormat(path)} files are read whole, at most ${formatBytes(MAX_WHOLE_BYTES)} ` +
        `(CSV and Parquet files of any size are streamed: convert it to one of those)`,
    );
    return readFileSync(path);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(
      `cannot read data file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

async function parquetTable(bytes: Uint8Array, path: string): Promise<CsvTable> {
  const { parquetMetadata, parquetSchema, parquetRead } = await import('hyparquet');
  const { compressors } = await import('hyparquet-compressors');
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let names: string[];
  let rows: unknown[][];
  try {
    const metadata = parquetMetadata(file);
    names = parquetSchema(metadata).children.map((c) => c.element.name);
    rows = await new Promise<unknown[][]>((resolve, reject) => {
      parquetRead({ file, metadata, compressors, rowFormat: 'array', onComplete: resolve }).catch(reject);
    });
  } catch (e) {
    throw new FormatError(`${path}: unreadable Parquet file (${(e as Error).message})`);
  }
  const columns = names.map((_, k) => rows.map((row) => row[k]));
  return columnTable(path, names, columns);
}

async function arrowTable(bytes: Uint8Array, path: string): Promise<CsvTable> {
  const { DataType, Precision, tableFromIPC } = await import('apache-arrow');
  let names: string[];
  let columns: ColumnValues[];
  try {
    const table = tableFromIPC(bytes);
    names = table.schema.fields.map((f) => f.name);
    columns = names.map((_, k) => {
      const vector = table.getChildAt(k)!;
      // Integers and 32/64-bit floats without nulls as their typed array; the rest (nulls, half
      // floats, booleans, text, dictionaries) value by value, where get(i) keeps a null as null.
      const plain =
        vector.nullCount === 0 &&
        (DataType.isInt(vector.type) || (DataType.isFloat(vector.type) && vector.type.precision !== Precision.HALF));
      return plain
        ? (vector.toArray() as ColumnValues)
        : Array.from({ length: vector.length }, (_, i) => vector.get(i));
    });
  } catch (e) {
    throw new FormatError(`${path}: unreadable Arrow IPC / Feather file (${(e as Error).message})`);
  }
  return columnTable(path, names, columns);
}

function npyTable(a: NpyArray, path: string): TableFile {
  check(
    a.shape.length === 2,
    DataError,
    () =>
      `${path}: a .npy table must be a 2-D array [rows, columns] (the last column the target), got shape (${a.shape.join(', ')})`,
  );
  const [m, n] = a.shape as [number, number];
  const names = Array.from({ length: n }, (_, j) => `c${j}`);
  return {
    table: columnTable(
      path,
      names,
      names.map((_, j) => strided(a.data, m, n, j)),
    ),
    targets: [names[n - 1]!],
  };
}

function npzTable(arrays: Map<string, NpyArray>, path: string, options: TableOptions): TableFile {
  const xName = options.features ?? 'x',
    yName = options.target;
  const available = [...arrays.keys()].join(', ') || 'none';
  const x = arrays.get(xName);
  check(
    x !== undefined,
    DataError,
    () => `${path}: no array '${xName}' (arrays: ${available}); name the features with --features NAME`,
  );
  check(
    x.shape.length === 2 || x.shape.length === 1,
    DataError,
    () => `${path}: features '${xName}' must be 1-D or 2-D [rows, features], got shape (${x.shape.join(', ')})`,
  );
  const m = x.shape[0]!,
    f = x.shape[1] ?? 1;
  const names = Array.from({ length: f }, (_, j) => `${xName}${j}`);
  const columns = names.map((_, j) => strided(x.data, m, f, j));
  const yKey = yName ?? (arrays.has('y') ? 'y' : null);
  if (yKey === null) return { table: columnTable(path, names, columns), targets: null };
  const y = arrays.get(yKey);
  check(y !== undefined, DataError, () => `${path}: no target array '${yKey}' (arrays: ${available})`);
  check(
    (y.shape.length === 1 || y.shape.length === 2) && y.shape[0] === m,
    DataError,
    () => `${path}: target '${yKey}' has shape (${y.shape.join(', ')}); it needs ${m} rows like '${xName}'`,
  );
  const t = y.shape[1] ?? 1;
  const targets = y.shape.length === 1 ? [yKey] : Array.from({ length: t }, (_, j) => `${yKey}${j}`);
  check(
    !targets.some((n) => names.includes(n)),
    DataError,
    () => `${path}: target column names ${targets.join(', ')} clash with the feature columns`,
  );
  return {
    table: columnTable(path, [...names, ...targets], [...columns, ...targets.map((_, j) => strided(y.data, m, t, j))]),
    targets,
  };
}

/** Column j of a row-major [m, n] array. */
function strided(data: Float64Array | string[], m: number, n: number, j: number): ColumnValues {
  if (n === 1) return data;
  return Array.isArray(data)
    ? Array.from({ length: m }, (_, r) => data[r * n + j]!)
    : Float64Array.from({ length: m }, (_, r) => data[r * n + j]!);
}
