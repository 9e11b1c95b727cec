// One batch of decoding work, the same in a worker and on the main thread: files → shaped bytes.
import { readFileSync } from 'node:fs';
import { FormatError } from '../core/errors.js';
import { convertImage, decodeImage, type ImageShape } from './image-decode.js';

export interface DecodeJob {
  paths: string[];
  /** Image slot of each path in `buffer`. */
  slots: number[];
  shape: ImageShape;
  buffer: ArrayBufferLike;
  byteOffset: number;
  /** Images in the buffer (its length is count · height · width · channels). */
  count: number;
}

/** Decodes `job.paths[i]` into image slot `job.slots[i]` of the buffer. */
export function decodeInto(job: DecodeJob): void {
  const { shape } = job;
  const size = shape.height * shape.width * shape.channels;
  const out = new Uint8Array(job.buffer, job.byteOffset, job.count * size);
  job.paths.forEach((path, i) => {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new FormatError(
        `cannot read image '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    convertImage(decodeImage(bytes, path), shape, out, job.slots[i]! * size);
  });
}
