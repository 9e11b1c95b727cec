// Image folders in the layout of Keras' image_dataset_from_directory: one subfolder per class
// (DIR/<class>/*.png|jpg|jpeg), or DIR/train/<class>/… with DIR/test/<class>/… as the test set.
// Images are read into one byte buffer [count, height, width, channels], like the IDX data sets.
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError, check, DataError, FormatError } from '../core/errors.js';
import { type ImageHeader, type ImageShape, isImageFile, readImageHeader } from './image-decode.js';
import { type DecodeOptions, decodeImages } from './image-pool.js';

/** Channels images are converted to: grayscale (1) or rgb (3). */
export type ColorMode = 'grayscale' | 'rgb';
/** Every ColorMode. */
export const COLOR_MODES: readonly ColorMode[] = ['grayscale', 'rgb'];

/** The files of one split: paths with the class index of each. */
export interface ImageFileList {
  paths: string[];
  labels: Uint8Array;
}

/** The files of an image folder (scanImageFolder): one subfolder per class, optionally under train/ and test/. */
export interface ImageFolderLayout {
  /** The folder scanned. */
  dir: string;
  /** Class names: the subfolder names in sorted order (code-point order, as Python's sorted()). */
  classNames: string[];
  /** The training files (DIR/train, or DIR itself without a test/ folder). */
  train: ImageFileList;
  /** DIR/test when the folder has train/ and test/, else null. */
  test: ImageFileList | null;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function sorted(names: string[]): string[] {
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function subfolders(dir: string): string[] {
  return sorted(
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() || (e.isSymbolicLink() && isDirectory(join(dir, e.name))))
      .map((e) => e.name),
  );
}

/** Image files under `dir` (recursively, as Keras does), sorted by path. */
export function listImageFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of sorted(readdirSync(d))) {
      const p = join(d, e);
      if (isDirectory(p)) walk(p);
      else if (isImageFile(e)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * Finds the classes and files of an image folder. Errors (DataError): not a directory, no class
 * subfolders, a class folder without images, a test class the training folder lacks.
 */
export function scanImageFolder(dir: string): ImageFolderLayout {
  check(isDirectory(dir), DataError, () => `image folder '${dir}' is not a directory`);
  const top = subfolders(dir);
  const split = top.includes('train') && top.includes('test') && subfolders(join(dir, 'train')).length > 0;
  const trainDir = split ? join(dir, 'train') : dir;
  const classNames = subfolders(trainDir);
  check(
    classNames.length > 0,
    DataError,
    () =>
      `image folder '${dir}' has no class subfolders (expected ${dir}/<class>/*.png|jpg|jpeg, or ${dir}/train/<class>/… and ${dir}/test/<class>/…)`,
  );
  check(
    classNames.length <= 256,
    DataError,
    () => `image folder '${dir}': ${classNames.length} class folders; at most 256 are supported`,
  );
  const list = (root: string, names: string[]): ImageFileList => {
    const paths: string[] = [],
      labels: number[] = [];
    for (const name of names) {
      const files = listImageFiles(join(root, name));
      check(
        files.length > 0,
        DataError,
        () =>
          `image folder '${dir}': class folder '${relative(dir, join(root, name)) || name}' has no .png, .jpg or .jpeg images`,
      );
      const k = classNames.indexOf(name);
      for (const f of files) {
        paths.push(f);
        labels.push(k);
      }
    }
    return { paths, labels: Uint8Array.from(labels) };
  };
  let test: ImageFileList | null = null;
  if (split) {
    const testClasses = subfolders(join(dir, 'test'));
    const unknown = testClasses.filter((c) => !classNames.includes(c));
    check(
      unknown.length === 0,
      DataError,
      () =>
        `image folder '${dir}': test class folder${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `'${c}'`).join(', ')} not in train/ (classes: ${classNames.join(', ')})`,
    );
    check(testClasses.length > 0, DataError, () => `image folder '${dir}': test/ has no class subfolders`);
    test = list(join(dir, 'test'), testClasses);
  }
  return { dir, classNames, train: list(trainDir, classNames), test };
}

/** One buffer for every header read: allocating per file cost more than the read itself. */
const HEAD = new Uint8Array(4096);

/** Reads a file's first 4 KB: a PNG's header and, nearly always, a JPEG's frame header (else the whole file). */
export function readHeaderOf(path: string): ImageHeader {
  const fd = openSync(path, 'r');
  try {
    const n = readSync(fd, HEAD, 0, HEAD.length, 0);
    try {
      return readImageHeader(HEAD.subarray(0, n), path);
    } catch (e) {
      // A JPEG whose frame header sits after more than 4 KB of metadata: read all of it.
      if (!(e instanceof FormatError) || !/no frame header/.test(e.message) || n < HEAD.length) throw e;
      const bytes = new Uint8Array(statSync(path).size);
      const all = readSync(fd, bytes, 0, bytes.length, 0);
      return readImageHeader(bytes.subarray(0, all), path);
    }
  } finally {
    closeSync(fd);
  }
}

/** The shape asked for when loading an image folder (each part optional; see settleShape). */
export interface ShapeRequest {
  /** Convert to this colour mode (default: grayscale when every image is gray, else rgb). */
  color?: ColorMode;
  /** [height, width]; required when the images differ in size. */
  size?: [number, number];
}

/**
 * The shape a folder's images are converted to: `size` or the images' own size when they all agree
 * (a DataError listing two sizes otherwise); `color` or grayscale when every image is gray.
 */
export function settleShape(paths: readonly string[], request: ShapeRequest, source: string): ImageShape {
  let gray = true;
  let first: { path: string; h: number; w: number } | null = null;
  let other: { path: string; h: number; w: number } | null = null;
  for (const path of paths) {
    const h = readHeaderOf(path);
    gray &&= h.grayscale;
    if (!first) first = { path, h: h.height, w: h.width };
    else if (!other && (h.height !== first.h || h.width !== first.w)) other = { path, h: h.height, w: h.width };
  }
  check(first !== null, DataError, () => `${source}: no images`);
  const channels = (request.color ?? (gray ? 'grayscale' : 'rgb')) === 'grayscale' ? 1 : 3;
  if (request.size) return { height: request.size[0], width: request.size[1], channels };
  check(
    other === null,
    DataError,
    () =>
      `${source}: images differ in size (${first!.path} is ${first!.h}×${first!.w}, ${other!.path} is ${other!.h}×${other!.w}); choose one with --image-size HxW`,
  );
  return { height: first.h, width: first.w, channels };
}

/** `28x28` (height × width) as [28, 28]. */
export function parseImageSize(value: string): [number, number] {
  const m = /^\s*(\d+)\s*[x×]\s*(\d+)\s*$/i.exec(value);
  const size = m ? ([Number(m[1]), Number(m[2])] as [number, number]) : null;
  check(
    size !== null && size[0] > 0 && size[1] > 0 && size[0] <= 4096 && size[1] <= 4096,
    ConfigError,
    () => `--image-size: expected HxW with sizes from 1 to 4096 (e.g. 28x28), got '${value}'`,
  );
  return size;
}

/** A loaded image folder: the bytes of each split and the shape they share. */
export interface ImageFolderData {
  /** The files and class names. */
  layout: ImageFolderLayout;
  /** H × W × C of every image. */
  shape: ImageShape;
  /** The training images, image i at bytes [i·H·W·C, (i+1)·H·W·C). */
  train: Uint8Array;
  /** The test images laid out alike, or null without a test/ folder. */
  test: Uint8Array | null;
}

/**
 * Loads an image folder (scanImageFolder) converted to one shape (settleShape), decoding on worker
 * threads. The training images go through `options.allocate` when given; the test images after them.
 *
 * @example
 *   const data = await loadImageFolder('pets', { size: [64, 64], color: 'rgb' });
 *   data.train.length  // images · 64 · 64 · 3
 */
export async function loadImageFolder(
  dir: string,
  request: ShapeRequest = {},
  options: DecodeOptions = {},
): Promise<ImageFolderData> {
  const layout = scanImageFolder(dir);
  const all = layout.test ? [...layout.train.paths, ...layout.test.paths] : layout.train.paths;
  const shape = settleShape(all, request, `image folder '${dir}'`);
  const train = await decodeImages(layout.train.paths, shape, options);
  const test = layout.test ? await decodeImages(layout.test.paths, shape, options) : null;
  return { layout, shape, train, test };
}
