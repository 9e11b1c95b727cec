// The data of a training run, from a table file (CSV, Parquet, Arrow, NumPy), an image folder or a
// named image data set, split into train, validation and test sources that fit() and evaluate() take.
import { statSync } from 'node:fs';
import {
  argmaxRows,
  type BatchSource,
  ByteImageSource,
  type ByteProgress,
  type ColorMode,
  ConfigError,
  DEFAULT_SHUFFLE_BUFFER,
  HashSplit,
  headerTable,
  type ImageInput,
  type Label,
  loadImageDataset,
  openTableStream,
  type SplitName,
  STREAM_THRESHOLD_BYTES,
  STREAMED_FORMATS,
  StandardScaler,
  StreamSource,
  scanStream,
  splitColumns,
  type Task,
  Tensor,
  TensorSource,
  tableFormat,
  Welford,
} from '../node.js';
import { readTrainingCsv } from './csv-data.js';
import { isImageFolder, loadImageFolderData } from './image-data.js';
import { checkSplitSizes, type Holdout, holdout, stratifiedHoldout } from './split.js';
import { readTable } from './table-data.js';

export const IMAGE_DATASETS = ['fashion-mnist', 'mnist'] as const;

export function isImageDataset(data: string): boolean {
  return (IMAGE_DATASETS as readonly string[]).includes(data);
}

/** One split: a source for fit/evaluate plus what predictions and reports need. */
export interface DataSplit {
  source: BatchSource;
  /** Rows [start, start + count) of the inputs as a tensor [count, features] (unscaled), for predict. */
  inputs(start: number, count: number): Tensor;
  /** True class index of each row (classification), for the confusion matrix. */
  classes: Uint8Array | Uint32Array | null;
  /** Image bytes (image data sets), for the misclassified grid: example i is image rows[i] (i without rows). */
  images: { pixels: Uint8Array; width: number; height: number; channels?: number; rows?: Uint32Array | null } | null;
}

export interface TrainingData {
  kind: 'csv' | 'images';
  train: DataSplit;
  validation: DataSplit | null;
  test: DataSplit | null;
  features: number;
  outputs: number;
  labels: Label[] | null;
  featureNames: string[];
  targetNames: string[];
  /** A streamed table: the training rows' feature statistics from the first pass. */
  stream?: { scaler(): StandardScaler };
  /** Image folders: the shape every image was converted to, saved as model.json's input. */
  input?: ImageInput;
  /** Which rows went where (--save-splits), and the file of each row for image folders. */
  split?: Holdout;
  rowNames?: string[];
}

export interface DataRequest {
  data: string;
  dataDir?: string;
  targets: string[];
  task: Task;
  /** Labels of a model training continues from: the data's labels must be among them. */
  knownLabels: Label[] | null;
  testSplit: number;
  validationSplit: number;
  seed: number;
  /** Where image bytes go: the backend's allocBytes, so that its kernels fill batches from them. */
  allocateBytes?: (length: number) => Uint8Array;
  /** CSV field separator, or 'auto' (default). */
  delimiter?: string;
  /** Image folders: --color and --image-size (default: from the images). */
  color?: ColorMode;
  imageSize?: [number, number];
  /** .npz: the features array (--features). */
  features?: string;
  /** Classification: keep each class's share in the test and validation splits. */
  stratify?: boolean;
  /** Tables: read in chunks (true), or only when larger than STREAM_THRESHOLD_BYTES (undefined, the default). */
  stream?: boolean;
  /** Streamed tables: rows of the shuffle buffer (default DEFAULT_SHUFFLE_BUFFER), and whether to shuffle at all. */
  shuffleBuffer?: number;
  shuffle?: boolean;
  /** Streamed tables: progress of the first pass, by bytes. */
  onProgress?: ByteProgress;
}

/** The data by kind: a named image data set, an image folder, or a table file (CSV, Parquet, Arrow, NumPy). */
export async function loadTrainingData(r: DataRequest): Promise<TrainingData> {
  if (isImageDataset(r.data)) return loadImages(r);
  if (isImageFolder(r.data)) return loadImageFolderData(r);
  if (streamsTable(r.data, r.stream)) return loadStreamed(r);
  return loadCsv(r);
}

/** `--stream`, or a CSV / Parquet file larger than STREAM_THRESHOLD_BYTES: read in chunks, never whole. */
export function streamsTable(file: string, flag: boolean | undefined): boolean {
  if (flag) return true;
  if (!STREAMED_FORMATS.includes(tableFormat(file))) return false;
  try {
    return statSync(file).size > STREAM_THRESHOLD_BYTES;
  } catch {
    return false; // the reader reports a missing file
  }
}

/**
 * A table read in passes: the first pass checks every cell, counts the rows of each split (a seeded
 * hash of the row index decides) and collects the labels and the scaler's statistics; each epoch
 * is then one more pass through a seeded shuffle buffer.
 */
async function loadStreamed(r: DataRequest): Promise<TrainingData> {
  if (r.stratify)
    throw new ConfigError(
      `--stratify does not apply to a streamed file: its rows are split by a seeded hash of the row index, without holding the label column`,
    );
  if (r.features !== undefined)
    throw new ConfigError(`--features names an array of an .npz file; ${r.data} is ${tableFormat(r.data)}`);
  const stream = await openTableStream(r.data, { delimiter: r.delimiter });
  const columns = splitColumns(headerTable(stream), r.targets);
  const split = new HashSplit(r.seed, r.testSplit, r.validationSplit);
  const scan = scanStream(stream, {
    columns,
    task: r.task,
    knownLabels: r.knownLabels,
    split,
    onProgress: r.onProgress,
  });
  const { counts } = scan;
  checkSplitSizes(counts, scan.rows, r.testSplit, r.validationSplit);
  const shuffleBuffer = r.shuffle === false ? 0 : (r.shuffleBuffer ?? DEFAULT_SHUFFLE_BUFFER);
  const part = (which: SplitName): DataSplit => ({
    source: new StreamSource(stream, {
      columns,
      task: r.task,
      labels: scan.labels,
      split,
      which,
      size: counts[which],
      shuffleBuffer: which === 'train' ? shuffleBuffer : 0,
      seed: r.seed,
    }),
    inputs: () => {
      throw new ConfigError(`${r.data}: a streamed file's rows are read in passes, not by position`);
    },
    // Per-row classes would grow with the file; reports of a streamed file leave out the confusion matrix.
    classes: null,
    images: null,
  });
  const train = part('train');
  return {
    kind: 'csv',
    train,
    validation: counts.validation > 0 ? part('validation') : null,
    test: counts.test > 0 ? part('test') : null,
    features: columns.featureIndex.length,
    outputs: train.source.targets,
    labels: scan.labels,
    featureNames: columns.featureNames,
    targetNames: columns.targetNames,
    stream: { scaler: () => StandardScaler.fromStats(scan.features) },
  };
}

async function loadCsv(r: DataRequest): Promise<TrainingData> {
  const file = await readTable(r.data, { features: r.features, targets: r.targets, delimiter: r.delimiter });
  const csv = readTrainingCsv(r.data, file.targets, r.task, r.knownLabels, file.table);
  const y = csv.y!;
  const m = csv.x.shape[0]!;
  const classes = csv.rowLabels ? argmaxRows(y) : null;
  if (r.stratify && !classes) throw new ConfigError(`--stratify needs a classification task, got ${r.task}`);
  const split =
    classes && r.stratify
      ? stratifiedHoldout(classes, r.testSplit, r.validationSplit, r.seed)
      : holdout(m, r.testSplit, r.validationSplit, r.seed);
  const part = (rows: Uint32Array): DataSplit => {
    const x = csv.x.gatherRows(rows);
    return {
      source: new TensorSource(x, y.gatherRows(rows)),
      inputs: (start, count) => rowRange(x, start, count),
      classes: classes ? Uint32Array.from(rows, (i) => classes[i]!) : null,
      images: null,
    };
  };
  return {
    kind: 'csv',
    train: part(split.train),
    validation: split.validation.length > 0 ? part(split.validation) : null,
    test: split.test.length > 0 ? part(split.test) : null,
    features: csv.x.shape[1]!,
    outputs: y.shape[1]!,
    labels: csv.labels,
    featureNames: csv.featureNames,
    targetNames: csv.targetNames,
    split,
  };
}

/**
 * Train = the data set's training images minus the validation hold-out; test = its test images.
 * The splits are row lists over the one copy of the images, which goes straight into the backend's
 * memory when it has one (allocateBytes), where its kernels fill batches from it.
 */
async function loadImages(r: DataRequest): Promise<TrainingData> {
  const ds = await loadImageDataset(r.data, { dataDir: r.dataDir, allocateImages: r.allocateBytes });
  const pixels = ds.train.rows * ds.train.cols;
  const classes = ds.classNames.length;
  const split = r.stratify
    ? stratifiedHoldout(ds.train.labels, 0, r.validationSplit, r.seed)
    : holdout(ds.train.count, 0, r.validationSplit, r.seed);
  const part = (images: Uint8Array, labels: Uint8Array, rows: Uint32Array | null): DataSplit => {
    const source = new ByteImageSource(images, labels, pixels, classes, rows);
    return {
      source,
      inputs: (start, count) => source.toTensor(start, count),
      classes: source.classes(),
      images: { pixels: images, width: ds.train.cols, height: ds.train.rows, rows },
    };
  };
  return {
    kind: 'images',
    train: part(ds.train.images, ds.train.labels, split.train),
    validation: split.validation.length > 0 ? part(ds.train.images, ds.train.labels, split.validation) : null,
    test: part(ds.test.images, ds.test.labels, null),
    features: pixels,
    outputs: classes,
    labels: [...ds.classNames],
    featureNames: Array.from({ length: pixels }, (_, i) => `pixel${i}`),
    targetNames: ['label'],
    split,
  };
}

/** Standardisation fitted on the training split only (pixels scaled to [0, 1] first for images). */
export function fitScaler(data: TrainingData): StandardScaler {
  if (data.stream) return data.stream.scaler();
  if (data.kind === 'csv') return StandardScaler.fit((data.train.source as TensorSource).x);
  const source = data.train.source as ByteImageSource;
  const f = data.features;
  const stats = new Welford(f);
  // A pixel that is constant over the training set (image corners) keeps scale 1, as for tables.
  for (let i = 0; i < source.size; i++) stats.addRow(source.images, source.imageOf(i) * f, 1 / 255);
  return StandardScaler.fromStats(stats);
}

/** Rows [start, start + count) of a 2-D tensor, sharing its data. */
export function rowRange(x: Tensor, start: number, count: number): Tensor {
  const f = x.shape[1]!;
  return new Tensor(x.data.subarray(start * f, (start + count) * f), [count, f]);
}
