// A CSV file read in chunks of bytes, never as one string: each chunk's complete records are parsed
// by parseCsv with the file's header and line numbers, so the rules and messages are the in-memory
// reader's own (quotes, field counts, blank lines, row numbers in errors).
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { DataError, check } from '../core/errors.js';
import { checkRegularFile } from '../io/regular-file.js';
import { parseCsv, resolveDelimiter, type CsvOptions } from './csv.js';
import type { ByteProgress, TableChunk, TableStream } from './table-stream.js';

/** Bytes read at a time: large enough that parsing dominates the system calls. */
export const DEFAULT_CHUNK_BYTES = 4 * 2 ** 20;
/** The delimiter is detected from the file's first characters, as readCsvFile detects it. */
const SNIFF_CHARS = 65536;
/** A record (a line, or more with quoted line breaks) longer than this is refused: an unbalanced quote, most likely. */
export const MAX_RECORD_CHARS = 64 * 2 ** 20;

const QUOTE = 34, LF = 10, CR = 13, SPACE = 32, TAB = 9;

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
  let bytes: number;
  try {
    const stat = statSync(path);
    checkRegularFile(stat, `data file '${path}'`, Number.MAX_SAFE_INTEGER, DataError);
    bytes = stat.size;
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`cannot read data file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  check(Number.isInteger(chunkBytes) && chunkBytes >= 1, DataError, () => `openCsvStream: chunkBytes must be a positive integer, got ${chunkBytes}`);
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
  };
}

/**
 * One pass: reads `chunkBytes` at a time, decodes UTF-8 across chunk boundaries, and cuts the text
 * after the last line end outside quotes (a \r at the end of a chunk waits for the next byte, which
 * may be its \n). The first table holds the header and at least one data row; later ones are parsed
 * with the header prepended and `firstLine` set so that row numbers are the file's lines.
 */
export function* csvChunks(path: string, chunkBytes: number, delimiterOption: string, onProgress?: ByteProgress): Generator<TableChunk, void, undefined> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new DataError(`cannot read data file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const total = fstatSync(fd).size;
    const buffer = Buffer.allocUnsafe(chunkBytes);
    // A byte-order mark stays in the text, as readFileSync(path, 'utf8') keeps it.
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    let pending = '';
    let scanned = 0; // pending[0, scanned) has been scanned
    let quoted = false;
    let content = false; // the record being scanned has more than spaces
    let lines = 0; // line ends in pending[0, scanned)
    let cut = 0; // end of the last complete record in pending
    let linesToCut = 0;
    let recordsToCut = 0; // non-blank records in pending[0, cut)
    let line = 1; // file line of pending[0]
    let read = 0;
    let eof = false;
    let delimiter: string | null = delimiterOption === 'auto' ? null : delimiterOption;
    let headerText: string | null = null;
    let headerLines = 0;
    let row = 0;
    while (!eof) {
      let n: number;
      try {
        n = readSync(fd, buffer, 0, chunkBytes, read);
      } catch (e) {
        throw new DataError(`cannot read data file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      read += n;
      eof = n === 0;
      pending += eof ? decoder.decode() : decoder.decode(buffer.subarray(0, n), { stream: true });
      onProgress?.(read, total);
      let i = scanned;
      for (; i < pending.length; i++) {
        const c = pending.charCodeAt(i);
        if (c === QUOTE) {
          quoted = !quoted;
          content = true;
        } else if (c === LF || c === CR) {
          if (c === CR) {
            if (i + 1 === pending.length && !eof) break;
            if (pending.charCodeAt(i + 1) === LF) continue;
          }
          lines++;
          if (!quoted) {
            cut = i + 1;
            linesToCut = lines;
            if (content) recordsToCut++;
            content = false;
          }
        } else if (c !== SPACE && c !== TAB) {
          content = true;
        }
      }
      scanned = i;
      if (eof && cut < pending.length) {
        // A last record without a line end.
        cut = pending.length;
        linesToCut = lines;
        if (content) recordsToCut++;
      }
      if (delimiter === null) {
        if (pending.length < SNIFF_CHARS && !eof) continue;
        delimiter = resolveDelimiter(pending, 'auto', path);
      }
      let table;
      if (headerText === null) {
        // The header and one data row at least, or the end of the file (parseCsv then says what is missing).
        if (recordsToCut < 2 && !eof) {
          checkRecordLength(pending.length - cut, path, line + linesToCut, null);
          continue;
        }
        table = parseCsv(pending.slice(0, cut), path, { delimiter, firstLine: line });
        headerText = table.header.map((h) => `"${h.replace(/"/g, '""')}"`).join(delimiter);
        headerLines = 1 + lineEnds(headerText);
      } else if (recordsToCut > 0) {
        table = parseCsv(`${headerText}\n${pending.slice(0, cut)}`, path, { delimiter, firstLine: line - headerLines });
      }
      if (table) {
        yield { table, firstRow: row };
        row += table.rowCount;
      }
      pending = pending.slice(cut);
      scanned -= cut;
      lines -= linesToCut;
      line += linesToCut;
      cut = linesToCut = recordsToCut = 0;
      checkRecordLength(pending.length, path, line, headerText === null ? null : { headerText, headerLines, pending, delimiter });
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * An unfinished record longer than MAX_RECORD_CHARS: parsing it names a structural error (a stray
 * or unclosed quote) when there is one; otherwise the record itself is refused.
 */
function checkRecordLength(length: number, path: string, line: number, rest: { headerText: string; headerLines: number; pending: string; delimiter: string } | null): void {
  if (length <= MAX_RECORD_CHARS) return;
  if (rest) parseCsv(`${rest.headerText}\n${rest.pending}`, path, { delimiter: rest.delimiter, firstLine: line - rest.headerLines });
  throw new DataError(`${path}: row ${line}: a record longer than ${MAX_RECORD_CHARS / 2 ** 20} Mi characters (an unbalanced quote?)`);
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
