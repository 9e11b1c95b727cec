// Small image files written on the fly (pngjs, jpeg-js), so that no binary fixture is committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** Writes a PNG: gray (channels 1, colour type 0) or RGB (channels 3, colour type 2) from interleaved bytes. */
export function writePng(
  path: string,
  width: number,
  height: number,
  pixels: ArrayLike<number>,
  channels: 1 | 3 = 1,
): void {
  mkdirSync(dirname(path), { recursive: true });
  const png = new PNG({ width, height });
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) png.data[4 * p + c] = pixels[p * channels + (channels === 1 ? 0 : c)]!;
    png.data[4 * p + 3] = 255;
  }
  const colorType = channels === 1 ? 0 : 2;
  writeFileSync(path, PNG.sync.write(png, { colorType, inputColorType: 6, inputHasAlpha: true }));
}

/** Writes an RGB JPEG (quality 100) from interleaved RGB bytes, with optional comment segments before the frame. */
export function writeJpeg(
  path: string,
  width: number,
  height: number,
  rgb: ArrayLike<number>,
  comments: string[] = [],
): void {
  mkdirSync(dirname(path), { recursive: true });
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    data.set([rgb[3 * p]!, rgb[3 * p + 1]!, rgb[3 * p + 2]!, 255], 4 * p);
  }
  writeFileSync(path, jpeg.encode({ data, width, height, comments }, 100).data);
}

/** A w×h gray image whose pixels are `value` (a class's brightness) plus a small position pattern. */
export function grayImage(width: number, height: number, value: number): Uint8Array {
  return Uint8Array.from({ length: width * height }, (_, i) => Math.min(255, value + (i % 3)));
}
