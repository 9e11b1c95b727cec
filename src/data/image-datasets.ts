// The named image data sets (Fashion-MNIST, MNIST): where their IDX files are looked for, how they
// are checked, and how they load. Pixels stay bytes; `imagesToFloat32` scales one batch at a time.

import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, check, DataError, FormatError, ShapeError } from '../core/errors.js';
import { readIdx } from './idx.js';
import { type HashedFile, recordedHash, recordHashes } from './sha256.js';
import { unitPixels } from './source.js';

/** The image data sets loadImageDataset and downloadDataset know. */
export type ImageDatasetName = 'fashion-mnist' | 'mnist';
export type DatasetFileRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';
export const DATASET_FILE_ROLES: readonly DatasetFileRole[] = [
  'trainImages',
  'trainLabels',
  'testImages',
  'testLabels',
];

/** One of the four files of a data set, by its uncompressed name (the download adds `.gz`). */
export interface DatasetFileSpec {
  name: string;
  /** Length of the decompressed file, header included. */
  bytes: number;
  /** SHA-256 of the decompressed file, when published. */
  sha256?: string;
}

export interface ImageDatasetSpec {
  name: ImageDatasetName;
  classNames: readonly string[];
  rows: number;
  cols: number;
  /** Where the `.gz` files are published; the file name is appended. */
  baseUrl: string;
  files: Readonly<Record<DatasetFileRole, DatasetFileSpec>>;
}

const FILE_NAMES: Record<DatasetFileRole, string> = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

// Decompressed sizes: 16-byte header + 60000 (or 10000) x 28 x 28 images, 8-byte header + labels.
const SIZES: Record<DatasetFileRole, number> = {
  trainImages: 47_040_016,
  trainLabels: 60_008,
  testImages: 7_840_016,
  testLabels: 10_008,
};

const FASHION_SHA256: Record<DatasetFileRole, string> = {
  trainImages: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
  trainLabels: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  testImages: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
  testLabels: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
};

function fileSpecs(hashes?: Record<DatasetFileRole, string>): Record<DatasetFileRole, DatasetFileSpec> {
  const entry = (role: DatasetFileRole): DatasetFileSpec => ({
    name: FILE_NAMES[role],
    bytes: SIZES[role],
    sha256: hashes?.[role],
  });
  return {
    trainImages: entry('trainImages'),
    trainLabels: entry('trainLabels'),
    testImages: entry('testImages'),
    testLabels: entry('testLabels'),
  };
}

const SPECS: Record<ImageDatasetName, ImageDatasetSpec> = {
  'fashion-mnist': {
    name: 'fashion-mnist',
    classNames: [
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ],
    rows: 28,
    cols: 28,
    baseUrl: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
    files: fileSpecs(FASHION_SHA256),
  },
  // We have no published SHA-256 for MNIST here, so its files are checked by size only (plus a
  // guard against Fashion-MNIST files, which have the same names and sizes).
  mnist: {
    name: 'mnist',
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    rows: 28,
    cols: 28,
    baseUrl: 'https://storage.googleapis.com/cvdf-datasets/mnist/',
    files: fileSpecs(),
  },
};

/** Where Debian's `dataset-fashion-mnist` package installs the files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The description of a named data set; a ConfigError lists the known names. */
export function imageDatasetSpec(name: string): ImageDatasetSpec {
  check(
    Object.hasOwn(SPECS, name),
    ConfigError,
    () => `image data set "${name}" is unknown; known: ${Object.keys(SPECS).join(', ')}`,
  );
  return SPECS[name as ImageDatasetName];
}

/** The cache root, `~/.cache/backprop`; a data set lives in `<root>/<name>`. */
export function defaultCacheDir(): string {
  return join(homedir(), '.cache', 'backprop');
}

/** The stamp file recording hashes already computed, kept in the cache root. */
export function stampFilePath(cacheDir: string = defaultCacheDir()): string {
  return join(cacheDir, 'verified.json');
}

export interface ResolveOptions {
  /** Directory holding the four files; searched first. */
  dataDir?: string;
  /** Environment to read `BACKPROP_DATA` from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Cache root (default `~/.cache/backprop`); the data set is looked for in `<cacheDir>/<name>`. */
  cacheDir?: string;
  /** System directory for Fashion-MNIST (default Debian's); `null` skips it. */
  systemDir?: string | null;
}

export interface ResolvedDataset {
  spec: ImageDatasetSpec;
  /** The directory the files were found in. */
  dir: string;
  /** The path of each file (`.gz` or not). */
  paths: Record<DatasetFileRole, string>;
}

/**
 * Finds the directory holding the four IDX files of a data set (each plain or `.gz`), looking in
 * order in `dataDir`, `$BACKPROP_DATA/<name>`, `$BACKPROP_DATA`, `<cacheDir>/<name>` and, for
 * Fashion-MNIST, Debian's directory. A DataError lists every place looked at and how to get the data.
 *
 * @example
 *   resolveDataset("fashion-mnist", { env: {} }).dir  // "/usr/share/datasets/fashion-mnist" on Debian
 */
export function resolveDataset(name: string, options: ResolveOptions = {}): ResolvedDataset {
  const spec = imageDatasetSpec(name);
  const env = options.env ?? process.env;
  const candidates: { dir: string; why: string }[] = [];
  if (options.dataDir) candidates.push({ dir: options.dataDir, why: 'data directory option' });
  const envDir = env.BACKPROP_DATA;
  if (envDir) {
    candidates.push({ dir: join(envDir, spec.name), why: '$BACKPROP_DATA/' + spec.name });
    candidates.push({ dir: envDir, why: '$BACKPROP_DATA' });
  }
  candidates.push({ dir: join(options.cacheDir ?? defaultCacheDir(), spec.name), why: 'cache' });
  const systemDir = options.systemDir === undefined ? DEBIAN_FASHION_MNIST_DIR : options.systemDir;
  if (spec.name === 'fashion-mnist' && systemDir !== null) candidates.push({ dir: systemDir, why: 'Debian package' });

  const report: string[] = [];
  for (const { dir, why } of candidates) {
    if (!isDirectory(dir)) {
      report.push(`  ${dir} (${why}): no such directory`);
      continue;
    }
    const paths: Partial<Record<DatasetFileRole, string>> = {};
    const missing: string[] = [];
    for (const role of DATASET_FILE_ROLES) {
      const base = join(dir, spec.files[role].name);
      // The uncompressed file loads faster, so it wins when both are there.
      const found = [base, base + '.gz'].find((p) => existsSync(p));
      if (found) paths[role] = found;
      else missing.push(spec.files[role].name + '[.gz]');
    }
    if (missing.length === 0) return { spec, dir, paths: paths as Record<DatasetFileRole, string> };
    report.push(`  ${dir} (${why}): missing ${missing.join(', ')}`);
  }
  const howTo =
    spec.name === 'fashion-mnist'
      ? 'run `backprop data fetch fashion-mnist`, or `apt-get install dataset-fashion-mnist`'
      : `run \`backprop data fetch ${spec.name}\``;
  throw new DataError(
    `data set ${spec.name}: the four IDX files were not found. Looked in:\n${report.join('\n')}\nTo get them, ${howTo}.`,
  );
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Images of one split as bytes, `count x rows x cols`, row-major; labels are class indices. */
export interface ImageSplit {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

/** A loaded image data set (loadImageDataset): its train and test splits of byte images with labels. */
export interface ImageDataset {
  /** Which data set. */
  name: ImageDatasetName;
  /** Class k's name, k = 0..9. */
  classNames: readonly string[];
  /** The training images and labels. */
  train: ImageSplit;
  /** The test images and labels. */
  test: ImageSplit;
}

export interface LoadOptions extends ResolveOptions {
  /** Check SHA-256 (once per file, then recorded in `<cacheDir>/verified.json`). Default true. */
  verify?: boolean;
  /**
   * Where the image bytes go (labels stay ordinary arrays). Pass a wasm backend's `allocBytes` so
   * that a ByteImageSource over them fills batches with a SIMD kernel instead of a JavaScript loop.
   */
  allocateImages?: (bytes: number) => Uint8Array;
}

/**
 * Loads a named data set (see `resolveDataset` for where it is looked for), checking each file's
 * dimensions, decompressed size and, where published, SHA-256. About 55 MB in memory in total.
 *
 * @example
 *   const ds = await loadImageDataset("fashion-mnist");
 *   ds.train.count       // 60000
 *   ds.classNames[ds.train.labels[0]]  // "Ankle boot"
 */
export async function loadImageDataset(name: string, options: LoadOptions = {}): Promise<ImageDataset> {
  const { spec, paths } = resolveDataset(name, options);
  const stampFile = stampFilePath(options.cacheDir);
  const hashed: HashedFile[] = [];
  const load = async (role: DatasetFileRole): Promise<Uint8Array> => {
    const path = paths[role];
    const allocate = role === 'trainImages' || role === 'testImages' ? options.allocateImages : undefined;
    const { data, newSha256 } = await readVerifiedFile(spec, role, path, {
      stampFile,
      verify: options.verify,
      allocate,
    });
    if (newSha256) hashed.push({ path, sha256: newSha256 });
    return data;
  };
  // In parallel: gunzip runs on libuv's thread pool, so the four files decompress side by side.
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    load('trainImages'),
    load('trainLabels'),
    load('testImages'),
    load('testLabels'),
  ]);
  await recordHashes(stampFile, hashed);
  return {
    name: spec.name,
    classNames: spec.classNames,
    train: makeSplit(spec, trainImages, trainLabels, paths.trainImages, paths.trainLabels),
    test: makeSplit(spec, testImages, testLabels, paths.testImages, paths.testLabels),
  };
}

export interface VerifyFileOptions {
  /** Stamp file of hashes already computed (see `stampFilePath`). */
  stampFile: string;
  /** Check the SHA-256 (default true); dimensions and size are always checked. */
  verify?: boolean;
  /** `false`: check only, do not keep the data (the downloader's "already present?" test). */
  keep?: boolean;
  /** Where the decompressed bytes go (see IdxReadOptions.allocate). */
  allocate?: (bytes: number) => Uint8Array;
}

/** A checked file; `newSha256` is set when the hash was computed now and is worth recording. */
export interface VerifiedFile {
  dims: number[];
  data: Uint8Array;
  newSha256?: string;
}

/**
 * Reads one file of a data set and checks it against the spec: dimensions, decompressed size,
 * SHA-256 (computed in the same pass unless already recorded for this path, size and mtime).
 */
export async function readVerifiedFile(
  spec: ImageDatasetSpec,
  role: DatasetFileRole,
  path: string,
  options: VerifyFileOptions,
): Promise<VerifiedFile> {
  const file = spec.files[role];
  const verify = options.verify ?? true;
  const known = verify ? await recordedHash(options.stampFile, path) : null;
  const isImages = role === 'trainImages' || role === 'testImages';
  const result = await readIdx(path, {
    expectDims: isImages ? 3 : 1,
    sha256: verify && known === null,
    keep: options.keep,
    allocate: options.allocate,
  });
  const size = 4 + 4 * result.dims.length + result.dims.reduce((a, b) => a * b, 1);
  check(
    size === file.bytes,
    FormatError,
    () =>
      `load ${spec.name}: ${path} decompresses to ${size} bytes (dims ${result.dims.join('x')}), expected ${file.bytes} for ${file.name}`,
  );
  if (isImages) {
    check(
      result.dims[1] === spec.rows && result.dims[2] === spec.cols,
      FormatError,
      () =>
        `load ${spec.name}: ${path} holds ${result.dims[1]}x${result.dims[2]} images, expected ${spec.rows}x${spec.cols}`,
    );
  }
  if (verify) checkHash(spec, role, path, result.sha256 ?? known!);
  return { dims: result.dims, data: result.data, newSha256: result.sha256 };
}

/** Compares a decompressed file's SHA-256 with the published one (FormatError naming both). */
export function checkHash(
  spec: ImageDatasetSpec,
  role: DatasetFileRole,
  source: string,
  actual: string,
  operation = 'load',
): void {
  const expected = spec.files[role].sha256;
  check(
    expected === undefined || actual === expected,
    FormatError,
    () =>
      `${operation} ${spec.name}: SHA-256 of the decompressed ${source} is ${actual}, expected ${expected} for ${spec.files[role].name}; ` +
      `the file is corrupt or not ${spec.name} (delete it and fetch it again)`,
  );
  // MNIST and Fashion-MNIST share file names and sizes: a size check alone cannot tell them apart.
  check(
    spec.name === 'fashion-mnist' || actual !== FASHION_SHA256[role],
    FormatError,
    () =>
      `${operation} ${spec.name}: ${source} is the Fashion-MNIST ${spec.files[role].name} (SHA-256 ${actual}), not ${spec.name}`,
  );
}

function makeSplit(
  spec: ImageDatasetSpec,
  images: Uint8Array,
  labels: Uint8Array,
  imagesPath: string,
  labelsPath: string,
): ImageSplit {
  const pixels = spec.rows * spec.cols;
  const count = images.length / pixels;
  check(
    labels.length === count,
    FormatError,
    () => `load ${spec.name}: ${imagesPath} holds ${count} images but ${labelsPath} holds ${labels.length} labels`,
  );
  const classes = spec.classNames.length;
  const bad = labels.findIndex((label) => label >= classes);
  check(
    bad < 0,
    FormatError,
    () => `load ${spec.name}: ${labelsPath} has label ${labels[bad]} at index ${bad}; classes are 0..${classes - 1}`,
  );
  return { images, labels, count, rows: spec.rows, cols: spec.cols };
}

/**
 * Scales `count` byte images starting at image `start` to float32 in [0, 1] (x / 255), into `out`
 * when given (it must hold at least count * pixels values; a longer one is used from the start and
 * a view of the filled part is returned).
 *
 * @example
 *   imagesToFloat32(new Uint8Array([0, 51, 255, 255]), 1, 1, 2)  // Float32Array [1, 1]
 */
export function imagesToFloat32(
  images: Uint8Array,
  start: number,
  count: number,
  pixels: number,
  out?: Float32Array,
): Float32Array {
  const n = count * pixels;
  check(
    Number.isInteger(start) && Number.isInteger(count) && start >= 0 && count >= 0 && pixels > 0,
    ShapeError,
    () =>
      `imagesToFloat32: start ${start}, count ${count}, pixels ${pixels} must be non-negative integers (pixels > 0)`,
  );
  check(
    (start + count) * pixels <= images.length,
    ShapeError,
    () =>
      `imagesToFloat32: images ${start}..${start + count - 1} of ${pixels} pixels need ${(start + count) * pixels} bytes, the array has ${images.length}`,
  );
  check(
    out === undefined || out.length >= n,
    ShapeError,
    () => `imagesToFloat32: out has ${out!.length} values, the batch needs ${count} x ${pixels} = ${n}`,
  );
  const target = out === undefined ? new Float32Array(n) : out.length === n ? out : out.subarray(0, n);
  unitPixels(images, pixels, null, start, count, target);
  return target;
}
