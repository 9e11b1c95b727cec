// Reader for the IDX format of MNIST-style data sets (unsigned bytes only), plain or gzip, streamed
// into one preallocated buffer whose size the header announces.

import { createHash, type Hash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { stat as fsStat, open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import { check, FormatError } from '../core/errors.js';
import { checkRegularFile } from '../io/regular-file.js';

/** The dimensions and the row-major bytes of an IDX file (header removed). */
export interface IdxArray {
  /** The array's dimensions from the header, e.g. [60000, 28, 28] for images or [60000] for labels. */
  dims: number[];
  /** The unsigned bytes, row-major (product of dims values). */
  data: Uint8Array;
}

/** The result of `readIdx`, with the SHA-256 of the decompressed file when asked for. */
export interface IdxReadResult extends IdxArray {
  /** Hex SHA-256 of the whole decompressed file (header included); set when `sha256: true`. */
  sha256?: string;
}

export interface IdxReadOptions {
  /** Number of dimensions the caller requires (1 for labels, 3 for images). */
  expectDims?: number;
  /** Also compute the SHA-256 of the decompressed bytes, in the same pass. */
  sha256?: boolean;
  /** `false`: only validate (and hash); `data` comes back empty and nothing large is allocated. */
  keep?: boolean;
  /**
   * Where the payload goes: a zeroed buffer of exactly `bytes` bytes (default `new Uint8Array`).
   * The wasm backend's `allocBytes` puts images where its kernels read them without a copy.
   */
  allocate?: (bytes: number) => Uint8Array;
  /**
   * The most decompressed bytes the input can hold, when known (the file's size, or what a gzip file
   * of that size can inflate to): a header announcing more is rejected before anything is allocated.
   */
  maxBytes?: number;
  /** `maxBytes` is the exact decompressed size (a plain file): fewer announced bytes are fine, the excess is found later. */
  exactSize?: boolean;
}

/** The only element type the MNIST family uses (IDX type code 0x08). */
const UNSIGNED_BYTE = 0x08;
/** Largest payload we accept: a header announcing more is lying or not ours. */
const MAX_PAYLOAD = 2 ** 31 - 1;
/** Deflate's largest compression ratio: a gzip file of n bytes inflates to at most about 1032·n bytes. */
const MAX_INFLATE_RATIO = 1032;

/** True when the bytes start with the gzip magic 1f 8b. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Incremental IDX parser: feed it decompressed chunks with `push`, then call `finish`. It parses
 * the header as soon as it has it, allocates the payload once (when `keep`), and rejects a file
 * longer than announced as soon as the excess arrives. With `keep: false` it only validates (and
 * hashes), which is what the downloader needs.
 */
export class IdxParser {
  private readonly header = new Uint8Array(4 + 4 * 255);
  private headerLength = 0; // bytes of header collected so far
  private headerSize = 4; // full header size, known once the magic is read
  private dimsValue: number[] | null = null;
  private payload: Uint8Array | null = null;
  private payloadSize = 0;
  private received = 0; // payload bytes seen
  private readonly hash: Hash | null;

  constructor(
    /** Names the source in error messages (a path or a URL). */
    private readonly source: string,
    private readonly options: IdxReadOptions = {},
  ) {
    this.hash = options.sha256 ? createHash('sha256') : null;
  }

  /** Consumes one chunk of decompressed bytes. */
  push(chunk: Uint8Array): void {
    this.hash?.update(chunk);
    let offset = 0;
    while (this.dimsValue === null && offset < chunk.length) {
      const take = Math.min(this.headerSize - this.headerLength, chunk.length - offset);
      this.header.set(chunk.subarray(offset, offset + take), this.headerLength);
      this.headerLength += take;
      offset += take;
      if (this.headerLength === 4 && this.headerSize === 4) this.readMagic();
      if (this.headerLength === this.headerSize && this.headerSize > 4) this.readDims();
    }
    const rest = chunk.length - offset;
    if (rest === 0) return;
    check(
      this.received + rest <= this.payloadSize,
      FormatError,
      () =>
        `read IDX ${this.source}: file is longer than its header says: expected ${this.headerSize + this.payloadSize} bytes ` +
        `(header ${this.headerSize} + ${this.dimsValue!.join('x')} data), got at least ${this.headerSize + this.received + rest}`,
    );
    this.payload?.set(chunk.subarray(offset), this.received);
    this.received += rest;
  }

  /** Checks the file was complete and returns the parsed array (empty data when `keep: false`). */
  finish(): IdxReadResult {
    check(
      this.dimsValue !== null,
      FormatError,
      () =>
        `read IDX ${this.source}: file is truncated inside its header: got ${this.headerLength} bytes, the header needs ${this.headerSize}`,
    );
    const dims = this.dimsValue;
    check(
      this.received === this.payloadSize,
      FormatError,
      () =>
        `read IDX ${this.source}: file is truncated: expected ${this.headerSize + this.payloadSize} bytes ` +
        `(header ${this.headerSize} + ${dims.join('x')} data), got ${this.headerSize + this.received}`,
    );
    const result: IdxReadResult = { dims, data: this.payload ?? new Uint8Array(0) };
    if (this.hash) result.sha256 = this.hash.digest('hex');
    return result;
  }

  private readMagic(): void {
    const h = this.header;
    const magic = Array.from(h.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
    check(
      h[0] === 0 && h[1] === 0,
      FormatError,
      () => `read IDX ${this.source}: bad magic number 0x${magic}: an IDX file starts with two zero bytes`,
    );
    check(
      h[2] === UNSIGNED_BYTE,
      FormatError,
      () =>
        `read IDX ${this.source}: magic 0x${magic} has element type 0x${h[2]!.toString(16).padStart(2, '0')}; only unsigned bytes (0x08) are supported`,
    );
    const ndims = h[3]!; // the header buffer always holds the 4 magic bytes
    check(ndims >= 1, FormatError, () => `read IDX ${this.source}: magic 0x${magic} announces 0 dimensions`);
    const expect = this.options.expectDims;
    check(
      expect === undefined || ndims === expect,
      FormatError,
      () =>
        `read IDX ${this.source}: magic 0x${magic} announces ${ndims} dimensions, expected ${expect} ` +
        `(magic 0x0000080${expect})`,
    );
    this.headerSize = 4 + 4 * ndims;
  }

  private readDims(): void {
    const view = new DataView(this.header.buffer, 0, this.headerSize);
    const dims: number[] = [];
    for (let i = 4; i < this.headerSize; i += 4) dims.push(view.getUint32(i, false));
    const size = dims.reduce((a, b) => a * b, 1);
    check(
      size <= MAX_PAYLOAD,
      FormatError,
      () =>
        `read IDX ${this.source}: dimensions ${dims.join('x')} announce ${size} bytes, more than the ${MAX_PAYLOAD} supported`,
    );
    const limit = this.options.maxBytes;
    check(limit === undefined || this.headerSize + size <= limit, FormatError, () =>
      this.options.exactSize
        ? `read IDX ${this.source}: file is truncated: expected ${this.headerSize + size} bytes (header ${this.headerSize} + ${dims.join('x')} data), got ${limit}`
        : `read IDX ${this.source}: dimensions ${dims.join('x')} announce ${this.headerSize + size} bytes, more than ${limit} (what the compressed file can inflate to)`,
    );
    this.dimsValue = dims;
    this.payloadSize = size;
    if (this.options.keep !== false) {
      const payload = this.options.allocate ? this.options.allocate(size) : new Uint8Array(size);
      check(
        payload.length === size,
        FormatError,
        () => `read IDX ${this.source}: allocate(${size}) returned ${payload.length} bytes`,
      );
      this.payload = payload;
    }
  }
}

/**
 * Reads an IDX file of unsigned bytes, gzip-compressed or not (detected by the magic bytes 1f 8b,
 * not by the name). Decompressed bytes go straight into one buffer of the announced size.
 *
 * @example
 *   const { dims, data } = await readIdx("train-labels-idx1-ubyte.gz", { expectDims: 1 });
 *   // dims = [60000], data[0] = 9
 */
export async function readIdx(path: string, options: IdxReadOptions = {}): Promise<IdxReadResult> {
  // Only regular files, checked before opening: opening a FIFO blocks, and /dev/zero streams forever.
  const stat = await fsStat(path);
  checkRegularFile(stat, `read IDX ${path}: the file`, Number.MAX_SAFE_INTEGER, FormatError);
  const size = stat.size;
  const handle = await open(path, 'r');
  let gzip: boolean;
  try {
    const head = new Uint8Array(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    gzip = isGzip(head.subarray(0, bytesRead));
  } catch (err) {
    await handle.close();
    throw err;
  }
  const parser = new IdxParser(path, {
    ...options,
    maxBytes: gzip ? size * MAX_INFLATE_RATIO : size,
    exactSize: !gzip,
  });
  const input = handle.createReadStream({ start: 0, highWaterMark: 1 << 20 }); // closes the handle
  // The parser's own error, kept: the pipeline may report it as an AbortError of the other streams.
  let parseError: unknown = null;
  const sink = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      try {
        parser.push(chunk);
      } catch (err) {
        parseError = err;
        throw err;
      }
    }
  };
  try {
    if (gzip) await pipeline(input, createGunzip(), sink);
    else await pipeline(input, sink);
  } catch (err) {
    throw parseError ?? asFormatError(err, path);
  }
  return parser.finish();
}

/**
 * Synchronous `readIdx` for small files: holds the compressed and decompressed copies at once, so
 * prefer the async version for the 47 MB image files.
 *
 * @example
 * const { dims, data } = readIdxSync('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz'); // dims [10000]
 */
export function readIdxSync(path: string, options: IdxReadOptions = {}): IdxReadResult {
  checkRegularFile(statSync(path), `read IDX ${path}: the file`, 2 ** 31 - 1, FormatError);
  const raw = readFileSync(path);
  const gzip = isGzip(raw);
  const parser = new IdxParser(path, {
    ...options,
    maxBytes: gzip ? raw.length * MAX_INFLATE_RATIO : raw.length,
    exactSize: !gzip,
  });
  try {
    parser.push(gzip ? gunzipSync(raw, { maxOutputLength: MAX_PAYLOAD }) : raw);
  } catch (err) {
    throw asFormatError(err, path);
  }
  return parser.finish();
}

/** zlib's errors ("unexpected end of file", "incorrect header check") become FormatErrors naming the file. */
function asFormatError(err: unknown, path: string): unknown {
  if (err instanceof FormatError) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new FormatError(`read IDX ${path}: corrupt gzip data (${(err as Error).message})`);
  }
  if (code === 'ABORT_ERR') {
    // No signal is passed to the pipeline: Node's gunzip aborts it on bytes after the last gzip member.
    return new FormatError(`read IDX ${path}: corrupt gzip data (bytes after the end of the compressed stream)`);
  }
  if (code === 'ERR_BUFFER_TOO_LARGE') {
    return new FormatError(`read IDX ${path}: the gzip data inflates to more than ${MAX_PAYLOAD} bytes`);
  }
  return err;
}
