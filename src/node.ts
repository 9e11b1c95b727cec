/**
 * The Node-only API: model directories and checkpoints, CSV/Parquet/Arrow/NumPy tables, IDX and
 * image-folder data sets, downloads, HTML reports, PyTorch/ONNX/TensorFlow.js files, and the BLAS
 * backend. Re-exports everything of `backprop` and `backprop/onnx`.
 *
 * @example
 * import { loadModel, readCsvFile, splitColumns, featureMatrix } from 'backprop/node';
 * const model = await loadModel('models/iris');
 * const table = readCsvFile('data/iris.csv');
 * const x = featureMatrix(table, splitColumns(table, ['species']));
 * model.predictLabels(x);
 *
 * @module backprop/node
 */
// The Node-only public API (`backprop/node`): files, data sets, downloads and reports. Everything in
// `backprop` (src/index.ts) is re-exported too, so Node programs need only this entry.

export {
  BlasBackend,
  type BlasBackendOptions,
  type BlasLibrary,
  createBlasBackend,
  defaultLibraries,
  loadBlas,
} from './backend/blas/index.js';
export {
  BACKEND_NAMES,
  type BackendChoice,
  type CreateBackendOptions,
  createBackend,
  type NodeBackend,
} from './backend/create-backend.js';
export { columnTable } from './data/column-table.js';
export {
  AUTO_DELIMITERS,
  type CsvOptions,
  type CsvTable,
  featureMatrix,
  labelColumn,
  MAX_CSV_BYTES,
  numericTargets,
  oneHot,
  parseCsv,
  readCsvFile,
  type SplitColumns,
  splitColumns,
} from './data/csv.js';
export { type CsvStreamOptions, DEFAULT_CHUNK_BYTES, openCsvStream } from './data/csv-stream.js';
export { type DownloadOptions, type DownloadProgress, type DownloadResult, downloadDataset } from './data/download.js';
export { type IdxReadResult, readIdx, readIdxSync } from './data/idx.js';
export {
  type ImageDataset,
  type ImageDatasetName,
  imageDatasetSpec,
  imagesToFloat32,
  loadImageDataset,
  resolveDataset,
} from './data/image-datasets.js';
export {
  convertImage,
  type DecodedImage,
  decodeImage,
  IMAGE_EXTENSIONS,
  type ImageHeader,
  type ImageShape,
  isImageFile,
  readImageHeader,
} from './data/image-decode.js';
export {
  COLOR_MODES,
  type ColorMode,
  type ImageFolderData,
  type ImageFolderLayout,
  listImageFiles,
  loadImageFolder,
  parseImageSize,
  type ShapeRequest,
  scanImageFolder,
  settleShape,
} from './data/image-folder.js';
export { type DecodeOptions, decodeImages } from './data/image-pool.js';
export { checkClassLabels, sortLabels } from './data/labels.js';
export { type NpyArray, parseNpy, parseNpz, readZip } from './data/npy.js';
export { openParquetStream } from './data/parquet-stream.js';
export { headerTable, rowSubset, tableTargets } from './data/stream-rows.js';
export { MAX_STREAM_LABELS, type ScanRequest, type StreamScan, scanStream } from './data/stream-scan.js';
export { DEFAULT_SHUFFLE_BUFFER, StreamSource, type StreamSourceOptions } from './data/stream-source.js';
export {
  openTableStream,
  readTableFile,
  STREAMED_FORMATS,
  type TableFile,
  type TableFormat,
  type TableOptions,
  tableFormat,
} from './data/table-file.js';
export { type ByteProgress, STREAM_THRESHOLD_BYTES, type TableChunk, type TableStream } from './data/table-stream.js';
export * from './index.js';
export { fileError, syncDir, tempPath, writeFileAtomic } from './io/atomic.js';
export {
  CHECKPOINT_FILE,
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  CHECKPOINT_SUBDIR,
  type Checkpoint,
  type CheckpointJson,
  loadCheckpoint,
  type StoredFitOptions,
  saveCheckpoint,
} from './io/checkpoint.js';
export {
  type CheckpointedFitOptions,
  type CheckpointedFitResult,
  type CheckpointOptions,
  fitOptionsOf,
  fitWithCheckpoints,
  resumeTraining,
} from './io/checkpoint-fit.js';
export {
  loadModel,
  MODEL_FILE,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelJson,
  modelFromParts,
  modelJson,
  modelWeights,
  saveModel,
  WEIGHTS_FILE,
} from './io/model-dir.js';
export { checkModelOut, prepareModelOut, recoverModelDir, writeModelFiles } from './io/model-store.js';
export { loadOnnx, saveOnnx } from './io/onnx/files.js';
// fromOnnx / fromTfjs build the model through modelFromParts (src/io/model-dir.ts, which also writes files).
export { fromOnnx, type OnnxImportOptions } from './io/onnx/import.js';
export {
  checkDirOut,
  checkFileOut,
  type DirOutSpec,
  GENERATED_MARK,
  makeDirs,
  type OutOptions,
  prepareDirOut,
  writeFileOut,
} from './io/out-path.js';
export { PYTORCH_FILES, type PytorchFile, toPytorch, writePytorchExport } from './io/pytorch/export.js';
export { type DecodedSafetensors, decodeSafetensors, encodeSafetensors } from './io/safetensors.js';
export { loadTfjs, saveTfjs } from './io/tfjs/files.js';
export { TFJS_MODEL_FILE, TFJS_WEIGHTS_FILE } from './io/tfjs/format.js';
export { fromTfjs, type TfjsImportOptions } from './io/tfjs/import.js';
export * from './onnx.js';
export { confusionMatrixSvg, lossChartSvg, metricChartSvg, precisionRecallSvg } from './report/charts.js';
export { REPORT_FILE, type ReportInput, renderReport, writeReport } from './report/html.js';
export { type ClassScores, classScores, confusionMatrix } from './report/metrics.js';
export { plotFiles, writePlots } from './report/plot.js';
export { sparkline } from './report/sparkline.js';
