// A minimal PNG encoder for 8-bit grayscale images, so that report images can be inlined as data
// URLs. Node-only: the compression comes from node:zlib.

import { deflateSync } from 'node:zlib';
import { check, ShapeError } from '../core/errors.js';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const COLOR_TYPE_GRAYSCALE = 0;
const BIT_DEPTH = 8;
const FILTER_NONE = 0;

/**
 * Encodes a row-major grayscale image (`pixels[y * width + x]`, 0 = black, 255 = white) as a PNG
 * file: signature, IHDR, one IDAT (each scanline prefixed by filter type 0) and IEND.
 *
 * @example encodeGrayPng(Uint8Array.of(0, 255, 255, 0), 2, 2) // a 2×2 checkerboard
 */
export function encodeGrayPng(pixels: Uint8Array, width: number, height: number): Uint8Array {
  check(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0, ShapeError, () =>
    `encodeGrayPng: width and height must be positive integers, got ${width}×${height}`);
  check(pixels.length === width * height, ShapeError, () =>
    `encodeGrayPng: ${pixels.length} pixels for a ${width}×${height} image (expected ${width * height})`);

  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = BIT_DEPTH;
  header[9] = COLOR_TYPE_GRAYSCALE;
  // Bytes 10..12 (compression, filter method, interlace) are 0: deflate, adaptive, none.

  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = FILTER_NONE;
    raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }

  return concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** The image as a `data:image/png;base64,...` URL, usable as an `<img src>`. */
export function grayPngDataUrl(pixels: Uint8Array, width: number, height: number): string {
  return `data:image/png;base64,${Buffer.from(encodeGrayPng(pixels, width, height)).toString('base64')}`;
}

/** A chunk: 4-byte big-endian data length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

// CRC-32 as the PNG specification defines it (reflected polynomial 0xEDB88320), table-driven.
// Written out rather than taken from node:zlib, whose crc32 appeared only in Node 20.15.
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
