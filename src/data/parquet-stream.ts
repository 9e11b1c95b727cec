// A Parquet file read one row group at a time: the footer is read here, the row groups by a worker
// thread (hyparquet decodes asynchronously, the training loop asks for rows synchronously), which
// this thread waits for on a shared flag. Only the footer and one row group are in memory at once.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { DataError, FormatError } from '../core/errors.js';
import { columnTable } from './column-table.js';
import { spawnWorker } from './spawn-worker.js';
import { type ByteProgress, streamedFileBytes, type TableChunk, type TableStream } from './table-stream.js';

/** What the reading thread is asked: the rows of one row group, or to close the file. */
export type GroupRequest = { kind: 'rows'; rowStart: number; rowEnd: number } | { kind: 'close' };
export type GroupReply = { kind: 'rows'; columns: ArrayLike<unknown>[] } | { kind: 'error'; message: string };

/** How long a row group may take to decode before the reader gives up (a stuck or crashed thread). */
const GROUP_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Opens a Parquet file for streaming: reads its footer (schema, row groups) and starts the thread
 * that decodes row groups. The thread is released when the process no longer needs it (unref), or
 * by `close()`.
 *
 * @example
 * const stream = await openParquetStream('big.parquet');
 * for (const { table } of stream.chunks()) console.log(table.rowCount);
 */
export async function openParquetStream(path: string): Promise<TableStream> {
  const bytes = streamedFileBytes(path);
  const { parquetMetadataAsync, parquetSchema } = await import('hyparquet');
  const fd = openSync(path, 'r');
  let names: string[];
  let groups: number[];
  try {
    const metadata = await parquetMetadataAsync(fileBuffer(fd));
    names = parquetSchema(metadata).children.map((c) => c.element.name);
    groups = metadata.row_groups.map((g) => Number(g.num_rows));
  } catch (e) {
    throw new FormatError(`${path}: unreadable Parquet file (${(e as Error).message})`);
  } finally {
    closeSync(fd);
  }
  if (names.length === 0) throw new DataError(`${path}: the file has no columns`);
  if (groups.reduce((a, b) => a + b, 0) === 0) throw new DataError(`${path}: the file has columns but no rows`);
  const reader = new GroupReader(path);
  return {
    source: path,
    header: names,
    bytes,
    chunks: (onProgress?: ByteProgress) => parquetChunks(path, names, groups, bytes, reader, onProgress),
    close: () => reader.close(),
  };
}

/** An open file as hyparquet's AsyncBuffer: each slice is read when asked for (the footer, a row group's columns). */
export function fileBuffer(fd: number): { byteLength: number; slice(start: number, end?: number): ArrayBuffer } {
  const byteLength = fstatSync(fd).size;
  return {
    byteLength,
    slice(start: number, end = byteLength): ArrayBuffer {
      const out = new Uint8Array(end - start);
      readSync(fd, out, 0, out.length, start);
      return out.buffer;
    },
  };
}

function* parquetChunks(
  path: string,
  names: string[],
  groups: number[],
  bytes: number,
  reader: GroupReader,
  onProgress?: ByteProgress,
): Generator<TableChunk, void, undefined> {
  const total = groups.reduce((a, b) => a + b, 0);
  let row = 0;
  for (let g = 0; g < groups.length; g++) {
    const count = groups[g]!;
    if (count === 0) continue;
    const columns = reader.read(row, row + count, g);
    const table = columnTable(path, names, columns);
    const first = row;
    // Row numbers count the file's rows from 1, as columnTable numbers a whole file's.
    yield { table: { ...table, rowNumber: (r) => first + table.rowNumber(r) }, firstRow: first };
    row += count;
    // Bytes are read by row group; progress is their share of the rows.
    onProgress?.(Math.round((bytes * row) / total), bytes);
  }
}

/** The worker thread and the flag it raises when its answer is posted. */
class GroupReader {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));

  constructor(private readonly path: string) {}

  /** Rows [rowStart, rowEnd) (row group `group`) as columns, waiting for the thread. */
  read(rowStart: number, rowEnd: number, group: number): ArrayLike<unknown>[] {
    const port = this.start();
    Atomics.store(this.flag, 0, 0);
    port.postMessage({ kind: 'rows', rowStart, rowEnd } satisfies GroupRequest);
    if (Atomics.wait(this.flag, 0, 0, GROUP_TIMEOUT_MS) === 'timed-out') {
      this.close();
      throw new DataError(
        `${this.path}: row group ${group + 1} was not decoded within ${GROUP_TIMEOUT_MS / 60000} minutes`,
      );
    }
    const reply = receiveMessageOnPort(port)?.message as GroupReply | undefined;
    if (reply === undefined)
      throw new DataError(`${this.path}: the Parquet reading thread gave no answer for row group ${group + 1}`);
    if (reply.kind === 'error')
      throw new FormatError(
        `${this.path}: unreadable Parquet row group ${group + 1} (rows ${rowStart + 1}–${rowEnd}): ${reply.message}`,
      );
    return reply.columns;
  }

  close(): void {
    this.port?.postMessage({ kind: 'close' } satisfies GroupRequest);
    this.port?.close();
    void this.worker?.terminate();
    this.worker = null;
    this.port = null;
  }

  private start(): MessagePort {
    if (this.port) return this.port;
    const { port1, port2 } = new MessageChannel();
    this.worker = spawnWorker('parquet-worker', {
      workerData: { path: this.path, port: port2, flag: this.flag },
      transferList: [port2],
    });
    // The thread never keeps the process alive; it only works while this thread waits for it.
    this.worker.unref();
    this.port = port1;
    return port1;
  }
}
