// Decodes many image files into one byte buffer, on worker threads when there are enough of them:
// the files are cut into chunks that idle workers claim in turn, each writing its images straight
// into the shared buffer, so nothing is copied back.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { type BackpropError, DataError, FormatError, ShapeError } from '../core/errors.js';
import type { ImageShape } from './image-decode.js';
import { type DecodeJob, decodeInto } from './image-decode-job.js';
import { spawnWorker } from './spawn-worker.js';

/** Below this many images the workers' start-up costs more than they save. */
export const MIN_IMAGES_FOR_WORKERS = 512;
/**
 * Nor for small images: 10 000 Fashion-MNIST PNGs (28×28) decode in ~1 s on one thread and take
 * ~2 s on two workers, start-up and messages included (dist build, 2 cores).
 */
export const MIN_PIXELS_FOR_WORKERS = 64 * 64;
/** Images per job a worker claims, at least: each job is a message each way. */
export const CHUNK = 64;

/** Worker threads and destination of decodeImages. */
export interface DecodeOptions {
  /**
   * Worker threads; 0 or 1 decodes on this thread. Default: the machine's cores when there are at
   * least MIN_IMAGES_FOR_WORKERS images of at least MIN_PIXELS_FOR_WORKERS pixels, else this thread.
   */
  workers?: number;
  /** Where the bytes go (e.g. a wasm backend's allocBytes); default a new array. */
  allocate?: (bytes: number) => Uint8Array;
}

/**
 * Decodes `paths` (PNG or JPEG) converted to `shape`, image i at bytes [i·size, (i+1)·size) with
 * size = height · width · channels. The first unreadable file rejects with a FormatError naming it.
 */
export async function decodeImages(
  paths: readonly string[],
  shape: ImageShape,
  options: DecodeOptions = {},
): Promise<Uint8Array> {
  const size = shape.height * shape.width * shape.channels;
  const count = paths.length;
  const out = options.allocate ? options.allocate(count * size) : new Uint8Array(count * size);
  const large = count >= MIN_IMAGES_FOR_WORKERS && shape.height * shape.width >= MIN_PIXELS_FOR_WORKERS;
  const workers = Math.min(options.workers ?? (large ? availableParallelism() : 1), Math.ceil(count / CHUNK));
  if (workers <= 1) {
    decodeInto({
      paths: [...paths],
      slots: paths.map((_, i) => i),
      shape,
      buffer: out.buffer,
      byteOffset: out.byteOffset,
      count,
    });
    return out;
  }
  const shared = out.buffer instanceof SharedArrayBuffer ? out : new Uint8Array(new SharedArrayBuffer(count * size));
  await runPool(paths, shape, shared, workers);
  if (shared !== out) out.set(shared);
  return out;
}

async function runPool(paths: readonly string[], shape: ImageShape, out: Uint8Array, workers: number): Promise<void> {
  const chunks: DecodeJob[] = [];
  // About eight jobs per worker: few messages, yet a slow worker holds back little.
  const chunk = Math.max(CHUNK, Math.ceil(paths.length / (8 * workers)));
  for (let start = 0; start < paths.length; start += chunk) {
    const slots = Array.from({ length: Math.min(chunk, paths.length - start) }, (_, i) => start + i);
    chunks.push({
      paths: slots.map((i) => paths[i]!),
      slots,
      shape,
      buffer: out.buffer,
      byteOffset: out.byteOffset,
      count: paths.length,
    });
  }
  const pool = Array.from({ length: workers }, () => spawnWorker('image-worker'));
  let next = 0;
  try {
    await Promise.all(
      pool.map(async (worker) => {
        while (next < chunks.length) await runJob(worker, chunks[next++]!);
      }),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

function runJob(worker: Worker, job: DecodeJob): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    worker.once('error', onError);
    worker.once('message', (m: { ok: true } | { ok: false; name: string; message: string }) => {
      worker.off('error', onError);
      if (m.ok) resolve();
      else reject(rebuildError(m.name, m.message));
    });
    worker.postMessage(job);
  });
}

const ERRORS: Record<string, new (message: string) => BackpropError> = { FormatError, DataError, ShapeError };

function rebuildError(name: string, message: string): Error {
  const Kind = ERRORS[name];
  return Kind ? new Kind(message) : new Error(message);
}
