// IDX reader on small files written by the test: plain and gzip, and every kind of broken file.

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/core/errors.js';
import { readIdx, readIdxSync } from '../../src/data/idx.js';

const dir = mkdtempSync(join(tmpdir(), 'backprop-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An IDX file of unsigned bytes: magic 00 00 08 <ndims>, big-endian dims, then the data. */
function idxBytes(dims: number[], data: ArrayLike<number>): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Uint8Array.from(data)]);
}

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const images = idxBytes([2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);

describe('readIdx', () => {
  it('reads a plain file', async () => {
    const { dims, data } = await readIdx(write('plain', images), { expectDims: 3 });
    expect(dims).toEqual([2, 2, 3]);
    expect(Array.from(data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
  });

  it('detects gzip by its magic bytes, not by the name', async () => {
    const { dims, data } = await readIdx(write('compressed-without-suffix', gzipSync(images)));
    expect(dims).toEqual([2, 2, 3]);
    expect(data[11]).toBe(255);
    // ... and a plain file named .gz is read as plain
    const labels = await readIdx(write('labels.gz', idxBytes([3], [7, 8, 9])), { expectDims: 1 });
    expect(Array.from(labels.data)).toEqual([7, 8, 9]);
  });

  it('hashes the decompressed bytes, header included', async () => {
    const { sha256 } = await readIdx(write('hashed.gz', gzipSync(images)), { sha256: true });
    expect(sha256).toBe(createHash('sha256').update(images).digest('hex'));
  });

  it('streams a file larger than one chunk into one buffer', async () => {
    const n = 3_000_000; // several 1 MB read chunks and many gunzip chunks
    const payload = new Uint8Array(n);
    for (let i = 0; i < n; i++) payload[i] = (i * 7) % 256;
    const { dims, data } = await readIdx(write('big.gz', gzipSync(idxBytes([n], payload))));
    expect(dims).toEqual([n]);
    expect(data.length).toBe(n);
    expect(data[n - 1]).toBe(((n - 1) * 7) % 256);
    expect(data[123_457]).toBe((123_457 * 7) % 256);
  });

  it('rejects a bad magic number', async () => {
    const bad = Buffer.from(images);
    bad[0] = 0x12;
    await expect(readIdx(write('bad-magic', bad))).rejects.toThrow(/bad-magic: bad magic number 0x12000803/);
    const float = Buffer.from(images);
    float[2] = 0x0d;
    await expect(readIdx(write('float', float))).rejects.toThrow(/element type 0x0d; only unsigned bytes/);
  });

  it('rejects a file with the wrong number of dimensions', async () => {
    const path = write('wrong-dims', images);
    await expect(readIdx(path, { expectDims: 1 })).rejects.toThrow(FormatError);
    await expect(readIdx(path, { expectDims: 1 })).rejects.toThrow(
      /wrong-dims: magic 0x00000803 announces 3 dimensions, expected 1/,
    );
  });

  it('rejects a truncated file with the expected and actual byte counts', async () => {
    const path = write('truncated.gz', gzipSync(images.subarray(0, images.length - 2)));
    await expect(readIdx(path)).rejects.toThrow(
      /truncated\.gz: file is truncated: expected 28 bytes \(header 16 \+ 2x2x3 data\), got 26/,
    );
    const inHeader = write('short-header', images.subarray(0, 9));
    await expect(readIdx(inHeader)).rejects.toThrow(
      /short-header: file is truncated inside its header: got 9 bytes, the header needs 16/,
    );
  });

  it('rejects an over-long file', async () => {
    const path = write('long', Buffer.concat([images, Buffer.from([1, 2, 3])]));
    await expect(readIdx(path)).rejects.toThrow(
      /long: file is longer than its header says: expected 28 bytes .* got at least 31/,
    );
  });

  it('rejects corrupt gzip data as a FormatError naming the file', async () => {
    const gz = gzipSync(images);
    const cut = write('cut.gz', gz.subarray(0, gz.length - 12));
    await expect(readIdx(cut)).rejects.toThrow(FormatError);
    await expect(readIdx(cut)).rejects.toThrow(/cut\.gz: corrupt gzip data/);
  });

  it('rejects dimensions announcing more than 2 GB', async () => {
    const path = write('huge', idxBytes([65536, 65536], []));
    await expect(readIdx(path)).rejects.toThrow(/dimensions 65536x65536 announce 4294967296 bytes/);
  });

  it('decompresses into the buffer `allocate` returns, and rejects one of the wrong size', async () => {
    const place = new Uint8Array(64);
    const requested: number[] = [];
    const { data } = await readIdx(write('allocated.gz', gzipSync(images)), {
      allocate: (bytes) => (requested.push(bytes), place.subarray(8, 8 + bytes)),
    });
    expect(requested).toEqual([12]);
    expect(data.buffer).toBe(place.buffer);
    expect(Array.from(place.subarray(8, 20))).toEqual(Array.from(images.subarray(16)));
    await expect(readIdx(write('allocated-short', images), { allocate: () => new Uint8Array(5) })).rejects.toThrow(
      /allocated-short: allocate\(12\) returned 5 bytes/,
    );
  });

  it('can validate without keeping the data', async () => {
    const { dims, data, sha256 } = await readIdx(write('nokeep', images), { keep: false, sha256: true });
    expect(dims).toEqual([2, 2, 3]);
    expect(data.length).toBe(0);
    expect(sha256).toHaveLength(64);
  });
});

describe('readIdxSync', () => {
  it('reads plain and gzip files and applies the same checks', () => {
    expect(Array.from(readIdxSync(write('s1', images)).data.subarray(6))).toEqual([250, 251, 252, 253, 254, 255]);
    expect(readIdxSync(write('s2', gzipSync(images))).dims).toEqual([2, 2, 3]);
    expect(() => readIdxSync(write('s3', images.subarray(0, 20)))).toThrow(
      /s3: file is truncated: expected 28 bytes .* got 20/,
    );
  });
});
