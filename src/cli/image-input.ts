// Image files for a saved model whose model.json records an image input: converted to its shape
// (colour and size) exactly as its training images were, for predict, eval and report.
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import {
  ByteImageSource,
  DataError,
  decodeImages,
  type ImageInput,
  isImageFile,
  listImageFiles,
  type Sequential,
  scanImageFolder,
  Tensor,
} from '../node.js';

/** The image files `data` names: the file itself, or every image under a folder (sorted), with display names. */
export function imageFiles(data: string): { paths: string[]; names: string[] } {
  let directory: boolean;
  try {
    directory = statSync(data).isDirectory();
  } catch {
    throw new DataError(`cannot read '${data}': no such file or folder`);
  }
  if (!directory) {
    if (!isImageFile(data))
      throw new DataError(`${data}: the model takes images; expected a .png, .jpg or .jpeg file or a folder of them`);
    return { paths: [data], names: [data] };
  }
  const paths = listImageFiles(data);
  if (paths.length === 0) throw new DataError(`${data}: no .png, .jpg or .jpeg images in the folder`);
  return { paths, names: paths.map((p) => relative(data, p)) };
}

/** Images decoded to the model's input shape, as a source whose toTensor gives [count, H·W·C] in [0, 1]. */
export async function imageSource(
  input: ImageInput,
  paths: string[],
  labels: Uint8Array,
  classes: number,
): Promise<ByteImageSource> {
  const bytes = await decodeImages(paths, input);
  return new ByteImageSource(bytes, labels, input.height * input.width * input.channels, classes);
}

/** Predictions for every image, a thousand at a time (one float copy of all images would be 4× their bytes). */
export function predictImages(source: ByteImageSource, predict: (x: Tensor) => Tensor): Tensor {
  const parts: Tensor[] = [];
  for (let start = 0; start < source.size; start += 1000)
    parts.push(predict(source.toTensor(start, Math.min(1000, source.size - start))));
  const k = parts[0]!.shape[1]!;
  const data = new Float32Array(source.size * k);
  let offset = 0;
  for (const p of parts) {
    data.set(p.data, offset);
    offset += p.data.length;
  }
  return new Tensor(data, [source.size, k]);
}

/**
 * A labelled image folder for evaluating `model`: its test/ folder when it has train/ and test/,
 * else all of it; class folders must be among the model's labels.
 */
export async function labelledImages(model: Sequential, input: ImageInput, dir: string): Promise<ByteImageSource> {
  const layout = scanImageFolder(dir);
  const labels = (model.labels ?? []).map(String);
  const files = layout.test ?? layout.train;
  const unknown = layout.classNames.filter((c) => !labels.includes(c));
  if (unknown.length > 0)
    throw new DataError(
      `${dir}: class folder${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `'${c}'`).join(', ')} not among the model's labels (${labels.join(', ')})`,
    );
  const index = Uint8Array.from(files.labels, (k) => labels.indexOf(layout.classNames[k]!));
  return imageSource(input, files.paths, index, labels.length);
}
