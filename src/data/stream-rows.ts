// The rows of one chunk of a streamed table as tables of their own, and their targets through the
// in-memory readers' own conversions (numericTargets, labelColumn, oneHot) and their messages.
import { check, DataError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import type { Task } from '../model/sequential.js';
import { type CsvTable, labelColumn, numericTargets, oneHot, type SplitColumns } from './csv.js';
import type { Label } from './labels.js';
import type { TableStream } from './table-stream.js';

/** Rows `rows[0..count)` of `table` as a table of their own (row numbers stay the file's). */
export function rowSubset(table: CsvTable, rows: ArrayLike<number>, count: number): CsvTable {
  return {
    source: table.source,
    header: table.header,
    delimiter: table.delimiter,
    rowCount: count,
    row: (r) => table.row(rows[r]!),
    rowNumber: (r) => table.rowNumber(rows[r]!),
  };
}

/** The header of a stream as a table without rows, for the column lookups of csv.ts (splitColumns). */
export function headerTable(stream: TableStream): CsvTable {
  const none = (r: number): never => {
    throw new DataError(`${stream.source}: row index ${r} out of range [0, 0)`);
  };
  return { source: stream.source, header: stream.header, delimiter: '', rowCount: 0, row: none, rowNumber: none };
}

/**
 * Targets [rows, outputs] of a table: numbers (regression), 0/1 columns (multilabel), or the label
 * column one-hot against `labels` (classification).
 */
export function tableTargets(table: CsvTable, columns: SplitColumns, task: Task, labels: Label[] | null): Tensor {
  switch (task) {
    case 'regression':
      return numericTargets(table, columns);
    case 'multilabel':
      return numericTargets(table, columns, true);
    case 'classification':
      check(labels !== null, DataError, () => `${table.source}: classification needs the class labels`);
      return oneHot(labelColumn(table, columns), labels, table.source, columns.targetNames[0], table.rowNumber);
  }
}
