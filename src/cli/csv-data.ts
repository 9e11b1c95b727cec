// Turns a CSV file into model inputs and targets: for training (labels found in the data) and for a
// saved model (features and targets by the names stored in model.json, labels from the model).
import { Option } from 'commander';
import {
  AUTO_DELIMITERS,
  ConfigError,
  type CsvTable,
  checkClassLabels,
  DataError,
  featureMatrix,
  type Label,
  labelColumn,
  numericTargets,
  oneHot,
  readCsvFile,
  type Sequential,
  type SplitColumns,
  sortLabels,
  splitColumns,
  type Task,
  type Tensor,
} from '../node.js';

/** `--delimiter`, shared by train, eval and predict. */
export function delimiterOption(): Option {
  return new Option(
    '--delimiter <char>',
    `CSV field separator: one character, 'tab', or auto (detects ${AUTO_DELIMITERS.map((d) => (d === '\t' ? 'tab' : `'${d}'`)).join(', ')})`,
  )
    .argParser(parseDelimiter)
    .default('auto');
}

/** `tab` and `\t` name the tab character; anything else must be one character (or `auto`). */
export function parseDelimiter(value: string): string {
  if (value === 'auto') return value;
  if (value === 'tab' || value === '\\t') return '\t';
  if (value.length !== 1 || value === '"' || value === '\n' || value === '\r')
    throw new ConfigError(
      `--delimiter: expected one character other than a quote or a line end, 'tab' or 'auto', got '${value}'`,
    );
  return value;
}

export interface CsvData {
  table: CsvTable;
  x: Tensor;
  /** Null when the file has no target columns (predict). */
  y: Tensor | null;
  featureNames: string[];
  targetNames: string[];
  /** Class labels (classification) or target names (multilabel); null for regression. */
  labels: Label[] | null;
  /** The label of each row as read (classification), for reports. */
  rowLabels: string[] | null;
}

/** Reads training data: `targets` by name (default the last column), every other column a feature. */
export function readTrainingCsv(
  file: string,
  targets: string[],
  task: Task,
  knownLabels: Label[] | null,
  table: CsvTable = readCsvFile(file),
): CsvData {
  const columns = splitColumns(table, targets);
  return { table, x: featureMatrix(table, columns), ...readTargets(table, columns, task, knownLabels) };
}

/**
 * Reads data for a saved model: the features it was trained on, by name, and — when `requireTargets`
 * (eval) — its target columns. Without `requireTargets` (predict) target columns are never read,
 * whatever they hold ('?', empty). Extra columns are ignored.
 */
export function readModelCsv(
  file: string,
  model: Sequential,
  requireTargets: boolean,
  table: CsvTable = readCsvFile(file),
): CsvData {
  const columns = modelTableColumns(file, table, model, requireTargets);
  const x = featureMatrix(table, columns);
  if (!requireTargets)
    return {
      table,
      x,
      y: null,
      featureNames: columns.featureNames,
      targetNames: model.targetNames ?? [],
      labels: model.labels,
      rowLabels: null,
    };
  return { table, x, ...readTargets(table, columns, model.task ?? 'regression', model.labels) };
}

/**
 * The columns a saved model reads from a table (only its header is used): its features by name and,
 * when `requireTargets` (eval), its target columns, which must all be there.
 */
export function modelTableColumns(
  file: string,
  table: CsvTable,
  model: Sequential,
  requireTargets: boolean,
): SplitColumns {
  const targetNames = model.targetNames ?? [];
  const hasTargets = targetNames.length > 0 && targetNames.every((t) => table.header.includes(t));
  if (requireTargets && !hasTargets) {
    const missing = targetNames.filter((t) => !table.header.includes(t));
    throw new DataError(
      targetNames.length === 0
        ? `${file}: the model does not record its target columns (targetNames in model.json)`
        : `${file}: target column${missing.length > 1 ? 's' : ''} ${missing.map((t) => `'${t}'`).join(', ')} not found; columns are ${table.header.join(', ')}`,
    );
  }
  return modelColumns(
    table,
    model,
    targetNames.filter((t) => table.header.includes(t)),
  );
}

/** Feature columns by the model's featureNames when it has them, else every non-target column. */
function modelColumns(table: CsvTable, model: Sequential, targetNames: string[]): SplitColumns {
  const targetIndex = targetNames.map((t) => table.header.indexOf(t));
  let featureNames: string[];
  if (model.featureNames) {
    const missing = model.featureNames.filter((f) => !table.header.includes(f));
    if (missing.length > 0)
      throw new DataError(
        `${table.source}: feature column${missing.length > 1 ? 's' : ''} ${missing
          .slice(0, 5)
          .map((f) => `'${f}'`)
          .join(
            ', ',
          )}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} not found (the model was trained on ${model.featureNames.length} features)`,
      );
    featureNames = model.featureNames;
  } else {
    featureNames = table.header.filter((_, k) => !targetIndex.includes(k));
  }
  const inputs = model.network.inputFeatures;
  if (featureNames.length !== inputs)
    throw new DataError(`${table.source}: ${featureNames.length} feature columns, the model expects ${inputs}`);
  return { featureNames, targetNames, featureIndex: featureNames.map((f) => table.header.indexOf(f)), targetIndex };
}

function readTargets(
  table: CsvTable,
  columns: SplitColumns,
  task: Task,
  knownLabels: Label[] | null,
): Omit<CsvData, 'table' | 'x'> {
  const base = { featureNames: columns.featureNames, targetNames: columns.targetNames };
  switch (task) {
    case 'classification': {
      const rowLabels = labelColumn(table, columns);
      const labels = knownLabels ?? sortLabels(rowLabels);
      if (knownLabels === null) {
        if (labels.length < 2)
          throw new DataError(
            `${table.source}: column '${columns.targetNames[0]}' has a single class '${labels[0]}'; classification needs at least 2`,
          );
        checkClassLabels(labels, table.rowCount, table.source, columns.targetNames[0]!);
      }
      return {
        ...base,
        y: oneHot(rowLabels, labels, table.source, columns.targetNames[0], table.rowNumber),
        labels,
        rowLabels,
      };
    }
    case 'multilabel':
      return {
        ...base,
        y: numericTargets(table, columns, true),
        labels: knownLabels ?? [...columns.targetNames],
        rowLabels: null,
      };
    case 'regression':
      return { ...base, y: numericTargets(table, columns), labels: null, rowLabels: null };
  }
}
