// CSV data files: reading one (the text parser is csv-parse.ts), numeric features, target columns by
// name, class labels encoded one-hot.
import { constants as bufferConstants } from 'node:buffer';
import { readFileSync, type Stats, statSync } from 'node:fs';
import { check, DataError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { checkRegularFile } from '../io/regular-file.js';
import { type CsvOptions, type CsvTable, parseCsv, parseNumber } from './csv-parse.js';
import { type Label, labelKey, sortLabels } from './labels.js';

export {
  AUTO_DELIMITERS,
  type CsvOptions,
  type CsvTable,
  parseCsv,
  parseNumber,
  resolveDelimiter,
} from './csv-parse.js';
export { type Label, sortLabels };

/**
 * Largest CSV file read: its text must fit in one JavaScript string (a file of N bytes decodes to at
 * most N UTF-16 code units).
 */
export const MAX_CSV_BYTES = bufferConstants.MAX_STRING_LENGTH;

/**
 * Reads and parses a CSV file. Only regular files are read (not a directory, a device such as
 * /dev/zero or a FIFO, whose reading never ends), and only up to MAX_CSV_BYTES.
 *
 * @example
 * const table = readCsvFile('data/iris.csv');
 * const columns = splitColumns(table, ['species']);
 * const x = featureMatrix(table, columns);   // [150, 4]
 * const labels = labelColumn(table, columns); // ['setosa', …]
 */
export function readCsvFile(path: string, options: CsvOptions = {}): CsvTable {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (e) {
    throw new DataError(
      `cannot read data file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  checkRegularFile(
    stat,
    `data file '${path}'`,
    MAX_CSV_BYTES,
    DataError,
    'the text of a CSV file must fit in one JavaScript string',
  );
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError(
      `cannot read data file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  return parseCsv(text, path, options);
}

/** Which columns of a table are features and which are targets, by name and index. */
export interface SplitColumns {
  /** Names of the feature columns, in file order. */
  featureNames: string[];
  /** Names of the target columns, in the order asked for. */
  targetNames: string[];
  /** Column index of each feature. */
  featureIndex: number[];
  /** Column index of each target. */
  targetIndex: number[];
}

/**
 * Resolves the target columns by name (default: the last column); every other column is a feature.
 * Throws a DataError for a target column not in the header or when no feature column is left.
 */
export function splitColumns(table: CsvTable, targets?: string[]): SplitColumns {
  const names = targets && targets.length > 0 ? targets : [table.header[table.header.length - 1]!];
  const targetIndex = names.map((name) => {
    const k = table.header.indexOf(name);
    check(
      k >= 0,
      DataError,
      () => `${table.source}: target column '${name}' not found; columns are ${table.header.join(', ')}`,
    );
    return k;
  });
  const featureIndex = table.header.map((_, k) => k).filter((k) => !targetIndex.includes(k));
  check(
    featureIndex.length > 0,
    DataError,
    () => `${table.source}: no feature columns left after taking the targets ${names.join(', ')}`,
  );
  return { featureNames: featureIndex.map((k) => table.header[k]!), targetNames: names, featureIndex, targetIndex };
}

/**
 * The feature matrix x [m, features] (float32), m the data rows. Throws a DataError naming the row
 * (file line) and column of a cell that is empty, text, NaN, ±Infinity or beyond float32.
 */
export function featureMatrix(table: CsvTable, columns: SplitColumns): Tensor {
  const m = table.rowCount,
    f = columns.featureIndex.length;
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

/**
 * Numeric targets y [m, targets] (regression; multilabel 0/1 columns with `binary`). Throws a
 * DataError as featureMatrix does, or for a value other than 0 or 1 when `binary`.
 */
export function numericTargets(table: CsvTable, columns: SplitColumns, binary = false): Tensor {
  const m = table.rowCount,
    t = columns.targetIndex.length;
  const data = new Float32Array(m * t);
  for (let r = 0; r < m; r++) {
    const row = table.row(r);
    for (let j = 0; j < t; j++) {
      const k = columns.targetIndex[j]!;
      const v = parseNumber(row[k]!, table, r, table.header[k]!);
      check(
        !binary || v === 0 || v === 1,
        DataError,
        () =>
          `${table.source}: row ${table.rowNumber(r)}, column '${table.header[k]}': multi-label targets must be 0 or 1, got ${v}`,
      );
      data[r * t + j] = v;
    }
  }
  return new Tensor(data, [m, t]);
}

/** The labels of a single target column, in row order, as strings (trimmed; a DataError for an empty one or several target columns). */
export function labelColumn(table: CsvTable, columns: SplitColumns): string[] {
  check(
    columns.targetIndex.length === 1,
    DataError,
    () => `${table.source}: classification takes exactly one target column, got ${columns.targetNames.join(', ')}`,
  );
  const k = columns.targetIndex[0]!;
  return Array.from({ length: table.rowCount }, (_, r) => {
    const v = table.row(r)[k]!.trim();
    check(
      v !== '',
      DataError,
      () => `${table.source}: row ${table.rowNumber(r)}, column '${table.header[k]}': empty label`,
    );
    return v;
  });
}

/**
 * One-hot targets [m, K] for labels against the model's label list; an unseen label is an error.
 * Numeric labels match by value ('1.0' is the label 1). `rowNumber` gives the file line of value r
 * for messages (default r + 2: a header on line 1, no blank lines).
 */
export function oneHot(
  values: string[],
  labels: Label[],
  source: string,
  column = 'label',
  rowNumber: (r: number) => number = (r) => r + 2,
): Tensor {
  const index = new Map<string, number>();
  labels.forEach((l, k) => index.set(String(l), k));
  const numeric = labels.every((l) => typeof l === 'number');
  const m = values.length,
    K = labels.length;
  const data = new Float32Array(m * K);
  values.forEach((v, r) => {
    const k = index.get(labelKey(v, numeric));
    check(
      k !== undefined,
      DataError,
      () =>
        `${source}: row ${rowNumber(r)}, column '${column}': label '${v}' was not seen in training (known labels: ${labels.join(', ')})`,
    );
    data[r * K + k] = 1;
  });
  return new Tensor(data, [m, K]);
}
