// TensorFlow.js Layers models on disk (Node): a directory with model.json and weights.bin.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { check, FormatError } from '../../core/errors.js';
import type { Sequential } from '../../model/sequential.js';
import { writeFileAtomic } from '../atomic.js';
import { makeDirs } from '../out-path.js';
import { toTfjs } from './export.js';
import { TFJS_MODEL_FILE, TFJS_WEIGHTS_FILE, type TfjsModelJson } from './format.js';
import { fromTfjs, type TfjsImportOptions } from './import.js';

/**
 * Writes `model` as a tfjs Layers model into the directory `dir` (created if missing): model.json and
 * weights.bin, each atomically; other files in `dir` are left alone. Vet `dir` first (the CLI does).
 *
 * @example
 * await saveTfjs(model, 'models/iris-tfjs');          // then in TensorFlow.js: tf.loadLayersModel('…/model.json')
 * const again = await loadTfjs('models/iris-tfjs');   // back into backprop
 */
export async function saveTfjs(model: Sequential, dir: string): Promise<void> {
  const { modelJson, weights } = toTfjs(model);
  await makeDirs(path.resolve(dir), dir);
  // Weights first: the model.json that names them appears only once they are complete.
  await writeFileAtomic(path.join(dir, TFJS_WEIGHTS_FILE), weights);
  await writeFileAtomic(path.join(dir, TFJS_MODEL_FILE), JSON.stringify(modelJson, null, 1) + '\n');
}

/**
 * Reads a tfjs Layers model from its model.json file or the directory holding it (see fromTfjs).
 * A missing location, model.json or weight file, or invalid JSON, is a FormatError naming it.
 */
export async function loadTfjs(location: string, options: Omit<TfjsImportOptions, 'source'> = {}): Promise<Sequential> {
  const stat = await fs.stat(location).catch(() => null);
  check(stat !== null, FormatError, () => `tfjs model '${location}' does not exist`);
  const file = stat.isDirectory() ? path.join(location, TFJS_MODEL_FILE) : location;
  const text = await fs.readFile(file, 'utf8').catch(() => {
    throw new FormatError(`tfjs model '${location}' has no ${TFJS_MODEL_FILE}`);
  });
  let json: Partial<TfjsModelJson>;
  try {
    json = JSON.parse(text) as Partial<TfjsModelJson>;
  } catch (e) {
    throw new FormatError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const paths = Array.isArray(json.weightsManifest) ? json.weightsManifest.flatMap((g) => g.paths ?? []) : [];
  const parts: Uint8Array[] = [];
  for (const p of paths) {
    const weightFile = path.join(path.dirname(file), p);
    const bytes = await fs.readFile(weightFile).catch(() => {
      throw new FormatError(`${file}: weight file '${p}' is missing (looked for ${weightFile})`);
    });
    parts.push(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  const weights = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    weights.set(p, offset);
    offset += p.length;
  }
  return fromTfjs(json, weights, { ...options, source: file });
}
