// A table file read in passes of row chunks rather than held whole: the shape every streaming reader
// (CSV, Parquet) gives, so that splits, scalers and batches are built alike for both.
import { statSync } from 'node:fs';
import { DataError } from '../core/errors.js';
import { checkRegularFile } from '../io/regular-file.js';
import type { CsvTable } from './csv.js';

/** Consecutive data rows of a file. */
export interface TableChunk {
  /** The rows as a table with the file's header; rowNumber(r) is the row's place in the whole file. */
  table: CsvTable;
  /** 0-based index in the file of the chunk's first data row. */
  firstRow: number;
}

/** Called after each read with the bytes read so far in this pass and the file's size. */
export type ByteProgress = (bytesRead: number, totalBytes: number) => void;

/**
 * A table file read chunk by chunk, any number of times. Each pass (`chunks()`) opens the file,
 * yields its rows in file order and closes it when the pass ends or its generator is returned.
 */
export interface TableStream {
  /** The file's path, as messages name it. */
  readonly source: string;
  /** The column names, in order. */
  readonly header: string[];
  /** The file's size in bytes. */
  readonly bytes: number;
  /** One pass over the file: its rows in chunks, in file order; `onProgress` hears the bytes read. */
  chunks(onProgress?: ByteProgress): Generator<TableChunk, void, undefined>;
  /** Releases what the stream holds between passes (Parquet: its reading thread); passes may follow. */
  close(): void;
}

/** Files above this size are streamed by default (`--stream` forces it for any size). */
export const STREAM_THRESHOLD_BYTES = 256 * 2 ** 20;

/** The size of a data file to stream: a regular file of any size (not a directory, FIFO or device). */
export function streamedFileBytes(path: string): number {
  try {
    const stat = statSync(path);
    checkRegularFile(stat, `data file '${path}'`, Number.MAX_SAFE_INTEGER, DataError);
    return stat.size;
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(
      `cannot read data file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}
