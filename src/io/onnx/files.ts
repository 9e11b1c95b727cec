// ONNX files on disk (Node): written atomically, read with the file name in every error.
import { promises as fs } from 'node:fs';
import { FormatError } from '../../core/errors.js';
import type { Sequential } from '../../model/sequential.js';
import { writeFileAtomic } from '../atomic.js';
import { toOnnx } from './export.js';
import { fromOnnx, type OnnxImportOptions } from './import.js';

/**
 * Writes `model` to the ONNX file `file` (through a temporary file and a rename).
 *
 * @example
 * await saveOnnx(model, 'models/iris.onnx');
 * const again = await loadOnnx('models/iris.onnx'); // the same predictions
 */
export async function saveOnnx(model: Sequential, file: string): Promise<void> {
  await writeFileAtomic(file, toOnnx(model));
}

/** Reads an ONNX file holding an MLP (see fromOnnx); a missing or unreadable file is a FormatError naming it. */
export async function loadOnnx(file: string, options: Omit<OnnxImportOptions, 'source'> = {}): Promise<Sequential> {
  const bytes = await fs.readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new FormatError(`cannot read ONNX file '${file}': ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  return fromOnnx(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { ...options, source: file });
}
