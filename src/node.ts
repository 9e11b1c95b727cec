// The Node-only public API (`backprop/node`): files, data sets, downloads and reports. Everything in
// `backprop` (src/index.ts) is re-exported too, so Node programs need only this entry.
export * from './index.js';

export { saveModel, loadModel, modelFromParts, modelJson, modelWeights, MODEL_FILE, WEIGHTS_FILE, MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelJson } from './io/model-dir.js';
export { encodeSafetensors, decodeSafetensors, type DecodedSafetensors } from './io/safetensors.js';
export { writeFileAtomic, writeDirAtomic } from './io/atomic.js';

export { parseCsv, readCsvFile, splitColumns, featureMatrix, numericTargets, labelColumn, sortLabels, oneHot, type CsvTable, type SplitColumns } from './data/csv.js';
export { readIdx, readIdxSync, type IdxReadResult } from './data/idx.js';
export { loadImageDataset, resolveDataset, imageDatasetSpec, imagesToFloat32, type ImageDataset, type ImageDatasetName } from './data/image-datasets.js';
export { loadImageFolder, scanImageFolder, listImageFiles, settleShape, parseImageSize, COLOR_MODES, type ColorMode, type ImageFolderData, type ImageFolderLayout, type ShapeRequest } from './data/image-folder.js';
export { decodeImage, readImageHeader, convertImage, isImageFile, IMAGE_EXTENSIONS, type DecodedImage, type ImageHeader, type ImageShape } from './data/image-decode.js';
export { decodeImages, type DecodeOptions } from './data/image-pool.js';
export { readTableFile, tableFormat, type TableFile, type TableFormat, type TableOptions } from './data/table-file.js';
export { columnTable } from './data/column-table.js';
export { parseNpy, parseNpz, readZip, type NpyArray } from './data/npy.js';
export { downloadDataset, type DownloadOptions, type DownloadProgress, type DownloadResult } from './data/download.js';

export { renderReport, writeReport, type ReportInput } from './report/html.js';
export { writePlots } from './report/plot.js';
export { sparkline } from './report/sparkline.js';
export { confusionMatrix, classScores, type ClassScores } from './report/metrics.js';
export { lossChartSvg, metricChartSvg, confusionMatrixSvg, precisionRecallSvg } from './report/charts.js';
