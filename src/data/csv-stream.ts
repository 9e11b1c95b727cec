// A CSV file read in chunks of bytes, never as one string: each chunk's complete records are parsed
// by parseCsv with the file's header and line numbers, so the rules and messages are the in-memory
// reader's own (quotes, field counts, blank lines, row numbers in errors).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { check, DataError } from '../core/errors.js';
import { type CsvOptions, type CsvTable, parseCsv, resolveDelimiter } from './csv.js';
import { type ByteProgress, streamedFileBytes, type TableChunk, type TableStream } from './table-stream.js';

/** Bytes read at a time: large enough that parsing dominates the system calls. */
export const DEFAULT_CHUNK_BYTES = 4 * 2 ** 20;
/** The delimiter is detected from the file's first characters, as readCsvFile detects it (a character is at most 4 bytes). */
const SNIFF_CHARS = 65536;
const SNIFF_BYTES = 4 * SNIFF_CHARS + 4;
/** A record (a line, or more with quoted line breaks) longer than this is refused: an unbalanced quote, most likely. */
export const MAX_RECORD_BYTES = 64 * 2 ** 20;

const QUOTE = 34,
  LF = 10,
  CR = 13,
  SPACE = 32,
  TAB = 9;

/** How a CSV file is streamed: its delimiter and the bytes read at a time. */
export interface CsvStreamOptions extends Pick<CsvOptions, 'delimiter'> {
  /** Bytes per read (default DEFAULT_CHUNK_BYTES). */
  chunkBytes?: number;
}

/**
 * Opens a CSV file for streaming: reads its first records to learn the header and the delimiter,
 * then every `chunks()` pass reads the file again from the start.
 *
 * @example
 * const stream = openCsvStream('big.csv');
 * for (const { table, firstRow } of stream.chunks()) console.log(firstRow, table.rowCount);
 */
export function openCsvStream(path: string, options: CsvStreamOptions = {}): TableStream {
  const bytes = streamedFileBytes(path);
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  check(
    Number.isInteger(chunkBytes) && chunkBytes >= 1,
    DataError,
    () => `openCsvStream: chunkBytes must be a positive integer, got ${chunkBytes}`,
  );
  // The first pass's first chunk fixes the header and the delimiter of every pass.
  const first = csvChunks(path, chunkBytes, options.delimiter ?? 'auto');
  const head = first.next();
  first.return(undefined);
  const { table } = head.value as TableChunk;
  const delimiter = table.delimiter;
  return {
    source: path,
    header: table.header,
    bytes,
    chunks: (onProgress?: ByteProgress) => csvChunks(path, chunkBytes, delimiter, onProgress),
    // Each pass opens and closes the file itself.
    close: () => undefined,
  };
}

/**
 * One pass: reads `chunkBytes` at a time and cuts the bytes after the last line end outside quotes
 * (a \r at the end of a read waits for the next byte, which may be its \n). Quotes and line ends are
 * ASCII, never part of a multi-byte UTF-8 character, so the cut never splits one, and each chunk
 * decodes to one flat string. The first table holds the header and at least one data row; later
 * ones are parsed with the header prepended and `firstLine` set so that row numbers are the file's.
 */
export function* csvChunks(
  path: string,
  chunkBytes: number,
  delimiterOption: string,
  onProgress?: ByteProgress,
): Generator<TableChunk, void, undefined> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new DataError(
      `cannot read data file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  try {
    const total = fstatSync(fd).size;
    // A byte-order mark stays in the text, as readFileSync(path, 'utf8') keeps it.
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    let pending = new Uint8Array(Math.max(chunkBytes * 2, 1024));
    let length = 0; // bytes in pending
    let scanned = 0; // pending[0, scanned) has been scanned
    const st: ScanState = { quoted: false, content: false, lines: 0, cut: 0, linesToCut: 0, recordsToCut: 0 };
    let line = 1; // file line of pending[0]
    let read = 0;
    let eof = false;
    let delimiter: string | null = delimiterOption === 'auto' ? null : delimiterOption;
    let header: Uint8Array | null = null; // the header as CSV bytes and a line end, prepended to later chunks
    let headerLines = 0;
    let row = 0;
    while (!eof) {
      if (pending.length - length < chunkBytes) {
        const grown = new Uint8Array(Math.max(pending.length * 2, length + chunkBytes));
        grown.set(pending.subarray(0, length));
        pending = grown;
      }
      let n: number;
      try {
        n = readSync(fd, pending, length, chunkBytes, read);
      } catch (e) {
        throw new DataError(
          `cannot read data file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
      read += n;
      length += n;
      eof = n === 0;
      onProgress?.(read, total);
      scanned = scanRecords(pending, scanned, length, eof, st);
      if (eof && st.cut < length) {
        // A last record without a line end.
        st.cut = length;
        st.linesToCut = st.lines;
        if (st.content) st.recordsToCut++;
      }
      const { cut, linesToCut, recordsToCut } = st;
      if (delimiter === null) {
        if (length < SNIFF_BYTES && !eof) continue;
        delimiter = resolveDelimiter(
          decoder.decode(pending.subarray(0, Math.min(length, SNIFF_BYTES))).slice(0, SNIFF_CHARS),
          'auto',
          path,
        );
      }
      let table: CsvTable | undefined;
      if (header === null) {
        // The header and one data row at least, or the end of the file (parseCsv then says what is missing).
        if (recordsToCut < 2 && !eof) {
          checkRecordLength(length - cut, path, line + linesToCut);
          continue;
        }
        table = parseCsv(decoder.decode(pending.subarray(0, cut)), path, { delimiter, firstLine: line });
        const headerText = table.header.map((h) => `"${h.replace(/"/g, '""')}"`).join(delimiter) + '\n';
        header = new TextEncoder().encode(headerText);
        headerLines = lineEnds(headerText);
      } else if (recordsToCut > 0) {
        table = parseCsv(decoder.decode(withHeader(header, pending.subarray(0, cut))), path, {
          delimiter,
          firstLine: line - headerLines,
        });
      }
      if (table) {
        yield { table, firstRow: row };
        row += table.rowCount;
      }
      pending.copyWithin(0, cut, length);
      length -= cut;
      scanned -= cut;
      st.lines -= linesToCut;
      line += linesToCut;
      st.cut = st.linesToCut = st.recordsToCut = 0;
      if (length > MAX_RECORD_BYTES) {
        // An unfinished record this long: parsing it names a structural error (a stray or unclosed quote) when there is one.
        if (header)
          parseCsv(decoder.decode(withHeader(header, pending.subarray(0, length))), path, {
            delimiter,
            firstLine: line - headerLines,
          });
        checkRecordLength(length, path, line);
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Where the scan of a pass stands: quotes and line ends seen, and the last complete record's end. */
interface ScanState {
  quoted: boolean;
  /** The record being scanned has more than spaces. */
  content: boolean;
  /** Line ends in the scanned bytes. */
  lines: number;
  /** End of the last complete record, the line ends before it, and the non-blank records before it. */
  cut: number;
  linesToCut: number;
  recordsToCut: number;
}

/**
 * Scans bytes [from, length) for record ends outside quotes, updating `st`; returns where it
 * stopped (before a final \r that may be half of a \r\n, unless at the end of the file).
 */
function scanRecords(bytes: Uint8Array, from: number, length: number, eof: boolean, st: ScanState): number {
  let { quoted, content, lines } = st;
  let i = from;
  for (; i < length; i++) {
    const c = bytes[i]!;
    if (c > QUOTE) {
      content = true;
    } else if (c === QUOTE) {
      quoted = !quoted;
      content = true;
    } else if (c === LF || c === CR) {
      if (c === CR) {
        if (i + 1 === length && !eof) break;
        if (bytes[i + 1] === LF) continue;
      }
      lines++;
      if (!quoted) {
        st.cut = i + 1;
        st.linesToCut = lines;
        if (content) st.recordsToCut++;
        content = false;
      }
    } else if (c !== SPACE && c !== TAB) {
      content = true;
    }
  }
  st.quoted = quoted;
  st.content = content;
  st.lines = lines;
  return i;
}

/** The header's bytes followed by a chunk's, to decode as one flat string. */
function withHeader(header: Uint8Array, chunk: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(header.length + chunk.length);
  bytes.set(header);
  bytes.set(chunk, header.length);
  return bytes;
}

/** A record (a line, or more with quoted line breaks) longer than MAX_RECORD_BYTES is refused. */
function checkRecordLength(length: number, path: string, line: number): void {
  check(
    length <= MAX_RECORD_BYTES,
    DataError,
    () => `${path}: row ${line}: a record longer than ${MAX_RECORD_BYTES / 2 ** 20} MiB (an unbalanced quote?)`,
  );
}

/** Line ends as parseCsv counts them: \n, \r\n and a lone \r each one. */
function lineEnds(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) n++;
  }
  return n;
}
