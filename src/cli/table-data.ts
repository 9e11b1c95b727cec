// Reads a table file of any supported format for the CLI, resolving the target columns: those
// given with --target, else the ones the file implies (NumPy), else the CSV default (the last column).
import { type CsvTable, DataError, readTableFile } from '../node.js';

export interface TableRequest {
  /** .npz: the features array (--features). */
  features?: string;
  /** --target: column names, or for an .npz the target array's name. */
  targets?: string[];
  /** CSV: the field separator (--delimiter; default auto). */
  delimiter?: string;
}

/** For training: an .npz must have its target array. */
export async function readTable(file: string, r: TableRequest = {}): Promise<{ table: CsvTable; targets: string[] }> {
  const npz = file.toLowerCase().endsWith('.npz');
  const { table, targets } = await readTableFile(file, {
    features: r.features,
    target: npz ? r.targets?.[0] : undefined,
    delimiter: r.delimiter,
  });
  if (npz && targets === null) throw new DataError(`${file}: no target array 'y'; name it with --target NAME`);
  return { table, targets: npz ? (targets ?? []) : r.targets && r.targets.length > 0 ? r.targets : (targets ?? []) };
}
