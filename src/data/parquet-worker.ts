// The Parquet reading thread of a streamed Parquet file: decodes the row group it is asked for
// (hyparquet reads only that group's byte ranges) and answers with its columns, then wakes the
// waiting reader through the shared flag.
import { closeSync, openSync } from 'node:fs';
import { type MessagePort, workerData } from 'node:worker_threads';
import { fileBuffer, type GroupReply, type GroupRequest } from './parquet-stream.js';

const { path, port, flag } = workerData as { path: string; port: MessagePort; flag: Int32Array };

function answer(reply: GroupReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(reply, transfer);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

/** The file, opened at the first request (an error then is an answer, not a crash). */
let file: { fd: number; buffer: ReturnType<typeof fileBuffer> } | null = null;

port.on('message', (request: GroupRequest) => {
  if (request.kind === 'close') {
    if (file) closeSync(file.fd);
    port.close();
    return;
  }
  void Promise.resolve()
    .then(() => readGroup(request.rowStart, request.rowEnd))
    .then(
      (columns) => {
        const transfer = columns
          .filter((c): c is Float64Array => c instanceof Float64Array)
          .map((c) => c.buffer as ArrayBuffer);
        answer({ kind: 'rows', columns }, transfer);
      },
      (e: unknown) => answer({ kind: 'error', message: (e as Error).message }),
    );
});

/** Rows [rowStart, rowEnd) as columns: all-number columns as Float64Array, others as plain arrays. */
async function readGroup(rowStart: number, rowEnd: number): Promise<ArrayLike<unknown>[]> {
  const { parquetRead } = await import('hyparquet');
  const { compressors } = await import('hyparquet-compressors');
  if (file === null) {
    const fd = openSync(path, 'r');
    file = { fd, buffer: fileBuffer(fd) };
  }
  const source = file.buffer;
  const rows = await new Promise<unknown[][]>((resolve, reject) => {
    parquetRead({ file: source, compressors, rowStart, rowEnd, rowFormat: 'array', onComplete: resolve }).catch(reject);
  });
  const n = rows[0]?.length ?? 0;
  return Array.from({ length: n }, (_, k) => {
    const column = rows.map((row) => row[k]);
    return column.every((v) => typeof v === 'number') ? Float64Array.from(column as number[]) : column;
  });
}
