// Downloads the four .gz files of a named image data set into the cache, checking each one while it
// streams in and renaming it into place only once it is verified.

import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, type Gunzip } from 'node:zlib';
import { BackpropError, DataError, FormatError } from '../core/errors.js';
import { IdxParser } from './idx.js';
import {
  checkHash,
  DATASET_FILE_ROLES,
  type DatasetFileRole,
  defaultCacheDir,
  type ImageDatasetSpec,
  imageDatasetSpec,
  readVerifiedFile,
  stampFilePath,
} from './image-datasets.js';
import { recordedHash, recordHashes } from './sha256.js';

/** Reported after each chunk received. */
export interface DownloadProgress {
  /** The file being downloaded, e.g. `train-images-idx3-ubyte.gz`. */
  file: string;
  /** Where it is downloaded from. */
  url: string;
  /** 0-based position of the file among the `fileCount` files. */
  fileIndex: number;
  /** Files of the data set. */
  fileCount: number;
  /** Bytes received so far for this file. */
  received: number;
  /** From Content-Length; null when the server does not say. */
  total: number | null;
}

/** Where downloadDataset fetches from and writes to, and how it reports progress. */
export interface DownloadOptions {
  /** Where the files are published (default: the data set's own location). */
  baseUrl?: string;
  /** Cache root (default `~/.cache/backprop`); the files go to `<cacheDir>/<name>`. */
  cacheDir?: string;
  /** Called after each chunk received. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Replaces the global fetch (tests, proxies). */
  fetchImpl?: typeof fetch;
  /** Give up when no byte arrives for this long (default 60 000 ms). */
  idleTimeoutMs?: number;
}

/** What downloadDataset returns: the directory and what happened to each file. */
export interface DownloadResult {
  /** The directory holding the four files, `<cacheDir>/<name>`. */
  dir: string;
  /** The data set's files, in order. */
  files: {
    /** The file's name, e.g. `train-images-idx3-ubyte.gz`. */
    file: string;
    /** Its path in `dir`. */
    path: string;
    /** Downloaded now, or already present and verified. */
    status: 'downloaded' | 'present';
  }[];
}

/**
 * Downloads a data set's four `.gz` files into `<cacheDir>/<name>`, skipping those already there
 * and verified. Each file is written under a temporary name, its decompressed bytes checked
 * (size, and SHA-256 where published) while streaming, then renamed into place. On an HTTP error,
 * a dropped connection or a bad checksum it throws (DataError / FormatError naming the URL) and
 * leaves neither the temporary nor the final file behind; files completed before stay.
 *
 * @example
 *   const { dir } = await downloadDataset("fashion-mnist", {
 *     onProgress: (p) => console.log(p.file, p.received, p.total),
 *   });
 */
export async function downloadDataset(name: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const spec = imageDatasetSpec(name);
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const dir = join(cacheDir, spec.name);
  const stampFile = stampFilePath(cacheDir);
  const base = withSlash(options.baseUrl ?? spec.baseUrl);
  await mkdir(dir, { recursive: true });

  const result: DownloadResult = { dir, files: [] };
  for (const [fileIndex, role] of DATASET_FILE_ROLES.entries()) {
    const file = spec.files[role].name + '.gz';
    const path = join(dir, file);
    if (await isPresentAndValid(spec, role, path, stampFile)) {
      result.files.push({ file, path, status: 'present' });
      continue;
    }
    const url = new URL(file, base).href;
    const sha256 = await downloadFile(spec, role, url, path, {
      ...options,
      onChunk: (received, total) =>
        options.onProgress?.({ file, url, fileIndex, fileCount: DATASET_FILE_ROLES.length, received, total }),
    });
    // Recorded at once so that the first load does not hash the file again.
    await recordHashes(stampFile, [{ path, sha256 }]);
    result.files.push({ file, path, status: 'downloaded' });
  }
  return result;
}

/** A file already in the cache counts only if it checks out; a broken one is downloaded again. */
async function isPresentAndValid(
  spec: ImageDatasetSpec,
  role: DatasetFileRole,
  path: string,
  stampFile: string,
): Promise<boolean> {
  if (!existsSync(path)) return false;
  // A recorded hash equal to the published one settles it without reading the file again.
  const published = spec.files[role].sha256;
  if (published !== undefined && (await recordedHash(stampFile, path)) === published) return true;
  try {
    const { newSha256 } = await readVerifiedFile(spec, role, path, { stampFile, keep: false });
    if (newSha256) await recordHashes(stampFile, [{ path, sha256: newSha256 }]);
    return true;
  } catch {
    return false;
  }
}

interface FileDownloadOptions {
  fetchImpl?: typeof fetch;
  idleTimeoutMs?: number;
  onChunk: (received: number, total: number | null) => void;
}

/**
 * Streams one URL to `<path>.<pid>.part` while gunzipping a copy into a validating, hashing IDX
 * parser; renames the temporary file to `path` once everything checks. Returns the SHA-256 of
 * the decompressed bytes.
 */
async function downloadFile(
  spec: ImageDatasetSpec,
  role: DatasetFileRole,
  url: string,
  path: string,
  options: FileDownloadOptions,
): Promise<string> {
  const tmp = `${path}.${process.pid}.part`;
  const what = `download ${spec.name}: GET ${url}`;
  const idleMs = options.idleTimeoutMs ?? 60_000;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const resetTimer = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new DataError(`${what}: no data for ${idleMs} ms, giving up`)), idleMs);
  };
  let received = 0;
  let total: number | null = null;
  let renamed = false;
  let gunzip: Gunzip | undefined;
  try {
    resetTimer();
    let response: Response;
    try {
      // Identity encoding: the bytes on disk must be the published .gz, not a re-encoding of it.
      response = await (options.fetchImpl ?? fetch)(url, {
        signal: controller.signal,
        headers: { 'accept-encoding': 'identity' },
      });
    } catch (err) {
      throw networkError(what, 'could not connect', err);
    }
    if (!response.ok || response.body === null) {
      throw new DataError(`${what}: the server answered HTTP ${response.status} ${response.statusText}`.trimEnd());
    }
    const length = Number(response.headers.get('content-length'));
    total = Number.isFinite(length) && length > 0 ? length : null;

    const parser = new IdxParser(url, { expectDims: role.endsWith('Images') ? 3 : 1, sha256: true, keep: false });
    const decoder = (gunzip = createGunzip());
    const decoded = pipeline(decoder, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) parser.push(chunk);
    });
    decoded.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
    const out = await open(tmp, 'w');
    const reader = response.body.getReader();
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (err) {
          throw networkError(what, `connection lost after ${received} of ${total ?? '?'} bytes`, err);
        }
        if (chunk.done) break;
        resetTimer();
        received += chunk.value.length;
        options.onChunk(received, total);
        await out.write(chunk.value);
        if (decoder.destroyed) break; // the decoder failed: `decoded` holds the reason
        // A decoder failure while waiting is reported through `decoded` below.
        if (!decoder.write(chunk.value)) await once(decoder, 'drain').catch(() => undefined);
      }
    } finally {
      await out.close();
      reader.releaseLock();
    }
    if (total !== null && received !== total && !decoder.destroyed) {
      throw new DataError(`${what}: connection ended after ${received} of ${total} bytes`);
    }
    if (!decoder.destroyed) decoder.end();
    try {
      await decoded;
    } catch (err) {
      throw err instanceof BackpropError
        ? err
        : new FormatError(`${what}: corrupt gzip data (${(err as Error).message})`);
    }
    const { sha256 } = parser.finish();
    checkHash(spec, role, url, sha256!, 'download');
    await rename(tmp, path);
    renamed = true;
    return sha256!;
  } catch (err) {
    // An abort by the idle timer surfaces as its DataError, possibly wrapped by fetch.
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
    throw reason instanceof BackpropError ? reason : err;
  } finally {
    clearTimeout(timer);
    gunzip?.destroy(); // a no-op after success; after a failure it stops the decoder
    if (!renamed) await unlink(tmp).catch(() => undefined);
  }
}

function networkError(what: string, summary: string, err: unknown): BackpropError {
  if (err instanceof BackpropError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
  return new DataError(`${what}: ${summary}: ${message}${cause}`);
}

/** `new URL(file, base)` replaces the last path segment unless the base ends with a slash. */
function withSlash(base: string): string {
  return base.endsWith('/') ? base : base + '/';
}
