// The first pass over a streamed table: every cell checked, rows counted per split, the class labels
// collected, and the training rows' feature statistics (Welford) for the scaler.
import { check, DataError } from '../core/errors.js';
import type { Task } from '../model/sequential.js';
import { featureMatrix, labelColumn, type SplitColumns } from './csv.js';
import type { HashSplit, SplitName } from './hash-split.js';
import { checkClassLabels, type Label, sortLabels } from './labels.js';
import { tableTargets } from './stream-rows.js';
import type { ByteProgress, TableStream } from './table-stream.js';
import { Welford } from './welford.js';

/** A classification column with more distinct values than this is refused during the pass, before they fill memory. */
export const MAX_STREAM_LABELS = 65536;

/** What the first pass over a streamed file needs to know. */
export interface ScanRequest {
  /** Which columns are features and which targets. */
  columns: SplitColumns;
  /** The task, which decides how targets are read and checked. */
  task: Task;
  /** Labels of a model training continues from: every row's label must be one of them. */
  knownLabels: Label[] | null;
  /** The seeded hash that assigns each row to train, validation or test. */
  split: HashSplit;
  /** Hears the bytes read. */
  onProgress?: ByteProgress;
}

/** What the first pass learned: row counts, labels and the training features' statistics. */
export interface StreamScan {
  /** Data rows of the file. */
  rows: number;
  /** Rows in each split. */
  counts: Record<SplitName, number>;
  /** Class labels (classification: sorted as sortLabels sorts them), target names (multilabel), else null. */
  labels: Label[] | null;
  /** Training rows' features, for the scaler. */
  features: Welford;
}

/**
 * Reads the whole stream once. Every feature and target cell is validated as the in-memory path
 * validates it (the first bad cell is reported with its file row), so later passes cannot fail on data.
 */
export function scanStream(stream: TableStream, r: ScanRequest): StreamScan {
  const { columns, task } = r;
  const features = new Welford(columns.featureIndex.length);
  const counts: Record<SplitName, number> = { train: 0, validation: 0, test: 0 };
  const seen = new Set<string>();
  let rows = 0;
  for (const { table, firstRow } of stream.chunks(r.onProgress)) {
    const x = featureMatrix(table, columns);
    const f = columns.featureIndex.length;
    if (task === 'classification' && r.knownLabels === null) {
      for (const label of labelColumn(table, columns)) {
        seen.add(label);
        check(
          seen.size <= MAX_STREAM_LABELS,
          DataError,
          () =>
            `${stream.source}: column '${columns.targetNames[0]}' has more than ${MAX_STREAM_LABELS} distinct values: ` +
            `it looks continuous or like an identifier, not like class labels; use --task regression to predict it as a number`,
        );
      }
    } else {
      // Validated now (numbers, 0/1, known labels) so that no later pass fails on the data.
      tableTargets(table, columns, task, r.knownLabels);
    }
    for (let i = 0; i < table.rowCount; i++) {
      const split = r.split.of(firstRow + i);
      counts[split]++;
      if (split !== 'train') continue;
      features.addRow(x.data, i * f);
    }
    rows += table.rowCount;
  }
  let labels: Label[] | null = null;
  if (task === 'classification') {
    labels = r.knownLabels ?? sortLabels(seen);
    if (r.knownLabels === null) {
      check(
        labels.length >= 2,
        DataError,
        () =>
          `${stream.source}: column '${columns.targetNames[0]}' has a single class '${labels![0]}'; classification needs at least 2`,
      );
      checkClassLabels(labels, rows, stream.source, columns.targetNames[0]!);
    }
  } else if (task === 'multilabel') {
    labels = r.knownLabels ?? [...columns.targetNames];
  }
  return { rows, counts, labels, features };
}
