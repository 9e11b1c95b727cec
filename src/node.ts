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
export * from './index.js';

export { saveModel, loadModel, modelFromParts, modelJson, modelWeights, MODEL_FILE, WEIGHTS_FILE, MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelJson } from './io/model-dir.js';
export { encodeSafetensors, decodeSafetensors, type DecodedSafetensors } from './io/safetensors.js';
export { writeFileAtomic, tempPath, syncDir, fileError } from './io/atomic.js';
export { checkFileOut, writeFileOut, checkDirOut, prepareDirOut, makeDirs, GENERATED_MARK, type OutOptions, type DirOutSpec } from './io/out-path.js';
export { checkModelOut, prepareModelOut, writeModelFiles, recoverModelDir } from './io/model-store.js';
export { toPytorch, writePytorchExport, PYTORCH_FILES, type PytorchFile } from './io/pytorch/export.js';
export {
  saveCheckpoint, loadCheckpoint, CHECKPOINT_FORMAT, CHECKPOINT_FORMAT_VERSION, CHECKPOINT_FILE, CHECKPOINT_SUBDIR,
  type Checkpoint, type CheckpointJson, type StoredFitOptions,
} from './io/checkpoint.js';
export { fitWithCheckpoints, resumeTraining, fitOptionsOf, type CheckpointOptions, type CheckpointedFitOptions, type CheckpointedFitResult } from './io/checkpoint-fit.js';
export * from './onnx.js';
// fromOnnx / fromTfjs build the model through modelFromParts (src/io/model-dir.ts, which also writes files).
export { fromOnnx, type OnnxImportOptions } from './io/onnx/import.js';
export { fromTfjs, type TfjsImportOptions } from './io/tfjs/import.js';
export { saveOnnx, loadOnnx } from './io/onnx/files.js';
export { saveTfjs, loadTfjs } from './io/tfjs/files.js';
export { TFJS_MODEL_FILE, TFJS_WEIGHTS_FILE } from './io/tfjs/format.js';

export { parseCsv, readCsvFile, splitColumns, featureMatrix, numericTargets, labelColumn, oneHot, AUTO_DELIMITERS, MAX_CSV_BYTES, type CsvTable, type CsvOptions, type SplitColumns } from './data/csv.js';
export { sortLabels, checkClassLabels } from './data/labels.js';
export { readIdx, readIdxSync, type IdxReadResult } from './data/idx.js';
export { loadImageDataset, resolveDataset, imageDatasetSpec, imagesToFloat32, type ImageDataset, type ImageDatasetName } from './data/image-datasets.js';
export { loadImageFolder, scanImageFolder, listImageFiles, settleShape, parseImageSize, COLOR_MODES, type ColorMode, type ImageFolderData, type ImageFolderLayout, type ShapeRequest } from './data/image-folder.js';
export { decodeImage, readImageHeader, convertImage, isImageFile, IMAGE_EXTENSIONS, type DecodedImage, type ImageHeader, type ImageShape } from './data/image-decode.js';
export { decodeImages, type DecodeOptions } from './data/image-pool.js';
export { readTableFile, openTableStream, tableFormat, STREAMED_FORMATS, type TableFile, type TableFormat, type TableOptions } from './data/table-file.js';
export { openCsvStream, DEFAULT_CHUNK_BYTES, type CsvStreamOptions } from './data/csv-stream.js';
export { openParquetStream } from './data/parquet-stream.js';
export { STREAM_THRESHOLD_BYTES, type TableStream, type TableChunk, type ByteProgress } from './data/table-stream.js';
export { StreamSource, DEFAULT_SHUFFLE_BUFFER, type StreamSourceOptions } from './data/stream-source.js';
export { scanStream, MAX_STREAM_LABELS, type ScanRequest, type StreamScan } from './data/stream-scan.js';
export { headerTable, rowSubset, tableTargets } from './data/stream-rows.js';
export { columnTable } from './data/column-table.js';
export { parseNpy, parseNpz, readZip, type NpyArray } from './data/npy.js';
export { downloadDataset, type DownloadOptions, type DownloadProgress, type DownloadResult } from './data/download.js';

export { renderReport, writeReport, REPORT_FILE, type ReportInput } from './report/html.js';
export { writePlots, plotFiles } from './report/plot.js';
export { sparkline } from './report/sparkline.js';
export { confusionMatrix, classScores, type ClassScores } from './report/metrics.js';
export { lossChartSvg, metricChartSvg, confusionMatrixSvg, precisionRecallSvg } from './report/charts.js';

export { createBackend, BACKEND_NAMES, type BackendChoice, type CreateBackendOptions, type NodeBackend } from './backend/create-backend.js';
export { BlasBackend, createBlasBackend, loadBlas, defaultLibraries, type BlasBackendOptions, type BlasLibrary } from './backend/blas/index.js';
