// The Parquet reading thread of a streamed Parquet file: decodes the row group it is asked for
// (hyparquet reads only that group's byte ranges) and answers with its columns, then wakes the
// waiting reader through the shared flag.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { workerData, type MessagePort } from 'node:worker_threads';
import type { GroupReply, GroupRequest } from './parquet-stream.js';

const { path, port, flag } = workerData as { path: string; port: MessagePort; flag: Int32Array };

function answer(reply: GroupReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(reply, transfer);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

/** The file as hyparquet's AsyncBuffer, opened at the first request (an error then is an answer, not a crash). */
let file: { fd: number; byteLength: number; slice(start: number, end?: number): ArrayBuffer } | null = null;

function openFile(): NonNullable<typeof file> {
  const fd = openSync(path, 'r');
  return {
    fd,
    byteLength: fstatSync(fd).size,
    slice(start: number, end?: number): ArrayBuffer {
      const bytes = new Uint8Array((end ?? this.byteLength) - start);
      readSync(fd, bytes, 0, bytes.length, start);
      return bytes.buffer;
    },
  };
}

port.on('message', (request: GroupRequest) => {
  if (request.kind === 'close') {
    if (file) closeSync(file.fd);
    port.close();
    return;
  }
  void Promise.resolve().then(() => readGroup(request.rowStart, request.rowEnd)).then((columns) => {
    const transfer = columns.filter((c): c is Float64Array => c instanceof Float64Array).map((c) => c.buffer as ArrayBuffer);
    answer({ kind: 'rows', columns }, transfer);
  }, (e: unknown) => answer({ kind: 'error', message: (e as Error).message }));
});

/** Rows [rowStart, rowEnd) as columns: all-number columns as Float64Array, others as plain arrays. */
async function readGroup(rowStart: number, rowEnd: number): Promise<ArrayLike<unknown>[]> {
  const { parquetRead } = await import('hyparquet');
  const { compressors } = await import('hyparquet-compressors');
  const source = (file ??= openFile());
  const rows = await new Promise<unknown[][]>((resolve, reject) => {
    parquetRead({ file: source, compressors, rowStart, rowEnd, rowFormat: 'array', onComplete: resolve }).catch(reject);
  });
  const n = rows[0]?.length ?? 0;
  return Array.from({ length: n }, (_, k) => {
    const column = rows.map((row) => row[k]);
    return column.every((v) => typeof v === 'number') ? Float64Array.from(column as number[]) : column;
  });
}
