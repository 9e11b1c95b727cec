// Training data from an image folder (DIR/<class>/…, or DIR/train/<class>/… with DIR/test/<class>/…):
// one byte copy of the images, splits as row lists over it, as for the IDX data sets.
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { ByteImageSource, ConfigError, type ImageInput, loadImageFolder } from '../node.js';
import { type Holdout, holdout, stratifiedHoldout } from './split.js';
import type { DataRequest, DataSplit, TrainingData } from './train-data.js';

/** True when `data` names a directory (an image folder) rather than a file or a named data set. */
export function isImageFolder(data: string): boolean {
  try {
    return statSync(data).isDirectory();
  } catch {
    return false;
  }
}

export interface ImageFolderTrainingData extends TrainingData {
  input: ImageInput;
  /** The split of the training folder's images, and the file of every row (training folder first, then test/). */
  split: Holdout;
  rowNames: string[];
}

/**
 * Loads an image folder for training. Its test/ folder is the test set when it has one (then
 * --test-split is an error); otherwise --test-split holds rows out of it, as for a table.
 */
export async function loadImageFolderData(r: DataRequest): Promise<ImageFolderTrainingData> {
  const folder = await loadImageFolder(r.data, { color: r.color, size: r.imageSize }, { allocate: r.allocateBytes });
  const { layout, shape } = folder;
  if (layout.test && r.testSplit > 0)
    throw new ConfigError(`--test-split does not apply to ${r.data}: its test/ folder is the test set`);
  const pixels = shape.height * shape.width * shape.channels;
  const classes = layout.classNames.length;
  const labels = layout.train.labels;
  const split = r.stratify
    ? stratifiedHoldout(labels, r.testSplit, r.validationSplit, r.seed)
    : holdout(labels.length, r.testSplit, r.validationSplit, r.seed);
  const part = (images: Uint8Array, imageLabels: Uint8Array, rows: Uint32Array | null): DataSplit => {
    const source = new ByteImageSource(images, imageLabels, pixels, classes, rows);
    return {
      source,
      inputs: (start, count) => source.toTensor(start, count),
      classes: source.classes(),
      images: { pixels: images, width: shape.width, height: shape.height, channels: shape.channels, rows },
    };
  };
  const test =
    folder.test && layout.test
      ? part(folder.test, layout.test.labels, null)
      : split.test.length > 0
        ? part(folder.train, labels, split.test)
        : null;
  const testFiles = layout.test?.paths ?? [];
  const trainCount = labels.length;
  return {
    kind: 'images',
    train: part(folder.train, labels, split.train),
    validation: split.validation.length > 0 ? part(folder.train, labels, split.validation) : null,
    test,
    features: pixels,
    outputs: classes,
    labels: [...layout.classNames],
    featureNames: Array.from({ length: pixels }, (_, i) => `pixel${i}`),
    targetNames: ['label'],
    input: { kind: 'image', ...shape },
    // Rows of test/ follow the training folder's rows in the saved split.
    split: { ...split, test: layout.test ? Uint32Array.from(testFiles, (_, i) => trainCount + i) : split.test },
    rowNames: [...layout.train.paths, ...testFiles].map((p) => relative(r.data, p)),
  };
}
