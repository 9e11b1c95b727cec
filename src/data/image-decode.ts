// PNG and JPEG files to interleaved bytes, in pure JavaScript (pngjs, jpeg-js): the header alone
// (size and colour, to settle a folder's shape before decoding it) or the whole image converted to
// grayscale or RGB and resampled to the size a model takes.
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { check, FormatError } from '../core/errors.js';
import { resizeImage } from './resize.js';

// CommonJS packages, loaded the same way from TypeScript sources, compiled files and workers.
const require = createRequire(import.meta.url);
const { PNG } = require('pngjs') as typeof import('pngjs');
const jpeg = require('jpeg-js') as typeof import('jpeg-js');

/** File extensions read as images (lower case; matched case-insensitively). */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;

/** True for file names the image readers take (.png, .jpg, .jpeg in any case). */
export function isImageFile(name: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());
}

/** What a file's header says: its size and whether it stores gray levels only. */
export interface ImageHeader {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** True when the file stores gray levels only. */
  grayscale: boolean;
}

/** An image decoded to interleaved bytes [height, width, channels]. */
export interface DecodedImage {
  /** Width W in pixels. */
  width: number;
  /** Height H in pixels. */
  height: number;
  /** C: 1 (gray) or 3 (RGB). */
  channels: 1 | 3;
  /** H·W·C bytes, row by row, channels interleaved. */
  pixels: Uint8Array;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/**
 * Reads the size and colour type from a PNG's IHDR chunk or a JPEG's start-of-frame marker
 * (`bytes` may be just the start of the file; a JPEG's frame header can follow large metadata).
 * A file that is neither, or whose header is cut short, is a FormatError naming `path`.
 */
export function readImageHeader(bytes: Uint8Array, path: string): ImageHeader {
  if (isPng(bytes)) {
    check(bytes.length >= 26, FormatError, () => `${path}: truncated PNG header`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const width = view.getUint32(16),
      height = view.getUint32(20),
      colorType = bytes[25]!;
    check(width > 0 && height > 0, FormatError, () => `${path}: PNG header gives a ${width}×${height} image`);
    // Colour types 0 and 4 are gray (with alpha); 2, 3 and 6 are colour (palette counts as colour).
    return { width, height, grayscale: colorType === 0 || colorType === 4 };
  }
  if (isJpeg(bytes)) {
    let i = 2;
    while (i + 9 < bytes.length) {
      check(bytes[i] === 0xff, FormatError, () => `${path}: corrupt JPEG (no marker at byte ${i})`);
      const marker = bytes[i + 1]!;
      if (marker === 0xff) {
        i++;
        continue;
      }
      const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
      // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        const height = (bytes[i + 5]! << 8) | bytes[i + 6]!,
          width = (bytes[i + 7]! << 8) | bytes[i + 8]!;
        check(
          width > 0 && height > 0,
          FormatError,
          () => `${path}: JPEG frame header gives a ${width}×${height} image`,
        );
        return { width, height, grayscale: bytes[i + 9] === 1 };
      }
      i += 2 + length;
    }
    throw new FormatError(`${path}: truncated JPEG (no frame header)`);
  }
  throw new FormatError(`${path}: not a PNG or JPEG file`);
}

/** Decodes a PNG or JPEG file's bytes; a corrupt or truncated file is a FormatError naming `path`. */
export function decodeImage(bytes: Uint8Array, path: string): DecodedImage {
  const header = readImageHeader(bytes, path);
  if (isPng(bytes)) {
    let png: { width: number; height: number; data: Uint8Array };
    try {
      png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (e) {
      throw new FormatError(`${path}: unreadable PNG (${(e as Error).message})`);
    }
    // pngjs gives RGBA (16-bit samples scaled to 8); keep one channel of gray images, drop alpha.
    const n = png.width * png.height,
      channels = header.grayscale ? 1 : 3;
    const pixels = new Uint8Array(n * channels);
    for (let p = 0; p < n; p++) for (let c = 0; c < channels; c++) pixels[p * channels + c] = png.data[p * 4 + c]!;
    return { width: png.width, height: png.height, channels, pixels };
  }
  let img: { width: number; height: number; data: Uint8Array };
  try {
    // Not tolerant: a truncated file is an error, not an image with a gray bottom.
    img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      tolerantDecoding: false,
      maxMemoryUsageInMB: 1024,
    });
  } catch (e) {
    throw new FormatError(`${path}: unreadable JPEG (${(e as Error).message})`);
  }
  const channels = img.data.length / (img.width * img.height);
  check(
    channels === 1 || channels === 3,
    FormatError,
    () => `${path}: JPEG with ${channels} channels (expected gray or RGB)`,
  );
  return { width: img.width, height: img.height, channels, pixels: img.data };
}

/** The shape every image of a data set is converted to. */
export interface ImageShape {
  /** H in pixels. */
  height: number;
  /** W in pixels. */
  width: number;
  /** C: 1 (grayscale) or 3 (RGB). */
  channels: 1 | 3;
}

/**
 * Converts a decoded image to `shape` and writes it to `out` at `offset`: RGB to gray by ITU-R 601
 * luma (L = 0.299 R + 0.587 G + 0.114 B, as PIL's convert('L')), gray to RGB by repeating it, then
 * resampled (resize.ts).
 */
export function convertImage(image: DecodedImage, shape: ImageShape, out: Uint8Array, offset: number): void {
  let pixels = image.pixels;
  const n = image.width * image.height;
  if (image.channels !== shape.channels) {
    const converted = new Uint8Array(n * shape.channels);
    if (shape.channels === 1) {
      for (let p = 0; p < n; p++)
        converted[p] = Math.round((299 * pixels[3 * p]! + 587 * pixels[3 * p + 1]! + 114 * pixels[3 * p + 2]!) / 1000);
    } else {
      for (let p = 0; p < n; p++) converted[3 * p] = converted[3 * p + 1] = converted[3 * p + 2] = pixels[p]!;
    }
    pixels = converted;
  }
  resizeImage(pixels, image.height, image.width, shape.channels, shape.height, shape.width, out, offset);
}
