// eval and predict on a streamed table (CSV or Parquet): one pass, chunk by chunk, in bounded memory;
// predictions are written as they are made, to stdout or through a temporary file renamed at the end.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { Option } from 'commander';
import {
  type ByteProgress,
  ConfigError,
  createMetric,
  featureMatrix,
  fileError,
  headerTable,
  lossValue,
  makeDirs,
  openTableStream,
  type Sequential,
  type SplitColumns,
  STREAM_THRESHOLD_BYTES,
  syncDir,
  type TableStream,
  tableFormat,
  tableTargets,
  tempPath,
} from '../node.js';
import { modelTableColumns } from './csv-data.js';
import { predictionCsv } from './predict.js';
import { predictOriginal } from './target-scaling.js';

/** `--stream` of eval and predict. */
export function streamOption(): Option {
  return new Option(
    '--stream',
    `read the CSV / Parquet file in chunks, in bounded memory (default: only files over ${STREAM_THRESHOLD_BYTES / 2 ** 20} MiB)`,
  );
}

export interface StreamedTable {
  file: string;
  delimiter: string;
  /** --features, which only .npz files take. */
  features?: string;
  onProgress?: ByteProgress;
}

async function open(r: StreamedTable): Promise<TableStream> {
  if (r.features !== undefined)
    throw new ConfigError(`--features names an array of an .npz file; ${r.file} is ${tableFormat(r.file)}`);
  return openTableStream(r.file, { delimiter: r.delimiter });
}

/**
 * Loss and metrics over every row, accumulated chunk by chunk in the original target units (the
 * loss as the mean of per-row losses, the metrics by their own accumulators, as evaluate() does).
 */
export async function evaluateStreamed(
  model: Sequential,
  r: StreamedTable,
): Promise<{ metrics: Record<string, number>; examples: number }> {
  const stream = await open(r);
  const metrics = model.metrics.map(createMetric);
  let total = 0;
  let seen = 0;
  try {
    const columns = modelTableColumns(r.file, headerTable(stream), model, true);
    for (const { table } of stream.chunks(r.onProgress)) {
      const x = featureMatrix(table, columns);
      const y = tableTargets(table, columns, model.task ?? 'regression', model.labels);
      const output = predictOriginal(model, x);
      total += lossValue(model.loss, { output, target: y, activation: null, logits: null }) * table.rowCount;
      seen += table.rowCount;
      for (const m of metrics) m.update(output.data, y.data, table.rowCount, y.shape[1]!);
    }
  } finally {
    stream.close();
  }
  const result: Record<string, number> = { loss: total / seen };
  for (const m of metrics) result[m.name] = m.result();
  return { metrics: result, examples: seen };
}

/**
 * Predictions for every row, written chunk by chunk: to `write` (stdout), or to `out` through a
 * temporary sibling that is flushed and renamed over it only when every row is written.
 */
export async function predictStreamed(
  model: Sequential,
  r: StreamedTable,
  out: { file: string } | { write: (text: string) => void },
): Promise<number> {
  const stream = await open(r);
  try {
    return await writePredictions(
      model,
      stream,
      modelTableColumns(r.file, headerTable(stream), model, false),
      r.onProgress,
      out,
    );
  } finally {
    stream.close();
  }
}

async function writePredictions(
  model: Sequential,
  stream: TableStream,
  columns: SplitColumns,
  onProgress: ByteProgress | undefined,
  out: { file: string } | { write: (text: string) => void },
): Promise<number> {
  let rows = 0;
  const each = (write: (text: string) => void): void => {
    for (const { table } of stream.chunks(onProgress)) {
      const text = predictionCsv(model, predictOriginal(model, featureMatrix(table, columns)));
      // The header line once, before the first chunk's rows.
      write(rows === 0 ? text : text.slice(text.indexOf('\n') + 1));
      rows += table.rowCount;
    }
  };
  if ('write' in out) {
    each(out.write);
    return rows;
  }
  const file = out.file;
  await makeDirs(path.dirname(path.resolve(file)), path.dirname(file));
  const tmp = tempPath(file);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx');
    const target = fd;
    each((text) => void writeSync(target, text));
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, file);
    await syncDir(path.dirname(file));
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw fileError(`cannot write '${file}'`, e);
  }
  return rows;
}
