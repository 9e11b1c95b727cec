// The PNG encoder's output decoded by hand: signature, chunk CRCs, header fields and pixels.

import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/core/errors.js';
import { encodeGrayPng, grayPngDataUrl } from '../../src/report/png.js';

interface Chunk {
  type: string;
  data: Buffer;
}

/** Splits a PNG into chunks, checking each CRC with node:zlib's (independent) crc32. */
function readChunks(png: Uint8Array): Chunk[] {
  const buf = Buffer.from(png);
  expect([...buf.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const chunks: Chunk[] = [];
  let offset = 8;
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const typeAndData = buf.subarray(offset + 4, offset + 8 + length);
    expect(buf.readUInt32BE(offset + 8 + length)).toBe(crc32(typeAndData));
    chunks.push({ type: typeAndData.subarray(0, 4).toString('latin1'), data: typeAndData.subarray(4) });
    offset += 12 + length;
  }
  expect(offset).toBe(buf.length);
  return chunks;
}

function decode(png: Uint8Array): { width: number; height: number; pixels: number[] } {
  const chunks = readChunks(png);
  expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  const ihdr = chunks[0]!.data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  expect([...ihdr.subarray(8)]).toEqual([8, 0, 0, 0, 0]); // 8-bit, grayscale, deflate, filter 0, no interlace
  const raw = inflateSync(chunks[1]!.data);
  expect(raw.length).toBe((width + 1) * height);
  const pixels: number[] = [];
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width + 1)]).toBe(0); // filter type None
    pixels.push(...raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)));
  }
  return { width, height, pixels };
}

describe('encodeGrayPng', () => {
  it('round-trips a non-square image row by row', () => {
    const pixels = Uint8Array.of(0, 50, 100, 150, 200, 255); // 3 wide, 2 high
    expect(decode(encodeGrayPng(pixels, 3, 2))).toEqual({ width: 3, height: 2, pixels: [...pixels] });
  });

  it('round-trips a 28×28 image of every byte value', () => {
    const pixels = Uint8Array.from({ length: 28 * 28 }, (_, i) => (i * 37) % 256);
    expect(decode(encodeGrayPng(pixels, 28, 28)).pixels).toEqual([...pixels]);
  });

  it('rejects a pixel count that does not match the size', () => {
    expect(() => encodeGrayPng(new Uint8Array(5), 3, 2)).toThrow(ShapeError);
    expect(() => encodeGrayPng(new Uint8Array(5), 3, 2)).toThrow(/5 pixels for a 3×2 image \(expected 6\)/);
    expect(() => encodeGrayPng(new Uint8Array(0), 0, 0)).toThrow(/positive integers/);
  });
});

describe('grayPngDataUrl', () => {
  it('is the base64 of the PNG bytes', () => {
    const pixels = Uint8Array.of(255, 0, 0, 255);
    const url = grayPngDataUrl(pixels, 2, 2);
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    const bytes = Buffer.from(url.slice('data:image/png;base64,'.length), 'base64');
    expect(decode(bytes).pixels).toEqual([255, 0, 0, 255]);
  });
});

describe('encodePng (RGB)', () => {
  it('writes colour type 2 that a PNG decoder reads back byte for byte', async () => {
    const { PNG } = await import('pngjs');
    const { encodePng } = await import('../../src/report/png.js');
    const rgb = Uint8Array.from({ length: 3 * 2 * 3 }, (_, i) => (i * 37) % 256);
    const png = PNG.sync.read(Buffer.from(encodePng(rgb, 3, 2, 3)));
    expect([png.width, png.height, png.colorType]).toEqual([3, 2, 2]);
    expect(Array.from({ length: 6 }, (_, p) => [...png.data.subarray(4 * p, 4 * p + 3)]).flat()).toEqual([...rgb]);
    expect(() => encodePng(rgb, 3, 3, 3)).toThrow(/encodePng: 18 bytes for a 3×3×3 image \(expected 27\)/);
  });
});
