// A minimal PNG encoder for 8-bit grayscale and RGB images, so that report images can be inlined as data
// URLs. Node-only: the compression comes from node:zlib.

import { deflateSync } from 'node:zlib';
import { check, ShapeError } from '../core/errors.js';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const COLOR_TYPE_GRAYSCALE = 0;
const COLOR_TYPE_RGB = 2;
const BIT_DEPTH = 8;
const FILTER_NONE = 0;

/**
 * Encodes a row-major grayscale image (`pixels[y * width + x]`, 0 = black, 255 = white) as a PNG
 * file: signature, IHDR, one IDAT (each scanline prefixed by filter type 0) and IEND.
 *
 * @example encodeGrayPng(Uint8Array.of(0, 255, 255, 0), 2, 2) // a 2×2 checkerboard
 */
export function encodeGrayPng(pixels: Uint8Array, width: number, height: number): Uint8Array {
  return encodePng(pixels, width, height, 1);
}

/** Encodes interleaved 8-bit pixels of 1 (gray) or 3 (RGB, colour type 2) channels as a PNG file. */
export function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3): Uint8Array {
  const name = channels === 1 ? 'encodeGrayPng' : 'encodePng';
  check(
    Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0,
    ShapeError,
    () => `${name}: width and height must be positive integers, got ${width}×${height}`,
  );
  check(
    pixels.length === width * height * channels,
    ShapeError,
    () =>
      `${name}: ${pixels.length} ${channels === 1 ? 'pixels' : 'bytes'} for a ${width}×${height}${channels === 1 ? '' : '×3'} image (expected ${width * height * channels})`,
  );

  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = BIT_DEPTH;
  header[9] = channels === 1 ? COLOR_TYPE_GRAYSCALE : COLOR_TYPE_RGB;
  // Bytes 10..12 (compression, filter method, interlace) are 0: deflate, adaptive, none.

  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = FILTER_NONE;
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }

  return concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

/** The image as a `data:image/png;base64,...` URL, usable as an `<img src>`. */
export function grayPngDataUrl(pixels: Uint8Array, width: number, height: number, channels: 1 | 3 = 1): string {
  return `data:image/png;base64,${Buffer.from(encodePng(pixels, width, height, channels)).toString('base64')}`;
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
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
