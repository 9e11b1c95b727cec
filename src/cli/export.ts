// `backprop export`: a saved model as a file or directory another engine reads (ONNX, TensorFlow.js).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import {
  ConfigError,
  decodeModelProto,
  loadModel,
  ONNX_INPUT,
  ONNX_OUTPUT,
  type Sequential,
  saveOnnx,
  saveTfjs,
  TFJS_MODEL_FILE,
  writePytorchExport,
} from '../node.js';
import type { CliIo } from './io.js';

/**
 * An export format: whether it writes a file or a directory, and how. A new format is one entry in
 * EXPORT_FORMATS (plus the import of its writer).
 */
interface ExportFormat {
  target: 'file' | 'directory';
  write: (model: Sequential, out: string) => Promise<void>;
  /** True when `out` (which exists) was written by this export, so replacing it loses nothing (default: never). */
  isOurs?: (out: string) => Promise<boolean>;
  /** One line on what was written (default: the path). */
  describe?: (model: Sequential, out: string) => string;
}

const EXPORT_FORMATS = {
  onnx: {
    target: 'file',
    write: saveOnnx,
    isOurs: isBackpropOnnx,
    describe: (m, out) =>
      `${out}: ONNX, input '${ONNX_INPUT}' [batch, ${m.network.inputFeatures}] raw features, output '${ONNX_OUTPUT}' [batch, ${m.network.outputFeatures}] ${outputKind(m)}`,
  },
  tfjs: {
    target: 'directory',
    write: saveTfjs,
    isOurs: isBackpropTfjs,
    describe: (m, out) =>
      `${out}/: TensorFlow.js Layers model (${TFJS_MODEL_FILE} + weights), input [batch, ${m.network.inputFeatures}] raw features, output [batch, ${m.network.outputFeatures}] ${outputKind(m)}`,
  },
  // vetOutput has decided already: the export writes only its own five files into the folder.
  pytorch: {
    target: 'directory',
    write: async (m, out) => void (await writePytorchExport(m, out, { overwrite: true })),
    isOurs: isBackpropPytorch,
    describe: (m, out) =>
      `${out}/: PyTorch export (model.py, train.py for torchrun, model.json + weights.safetensors), input [batch, ${m.network.inputFeatures}] raw features`,
  },
} satisfies Record<string, ExportFormat>;

export type ExportFormatName = keyof typeof EXPORT_FORMATS;
export const EXPORT_FORMAT_NAMES = Object.keys(EXPORT_FORMATS) as ExportFormatName[];

export function exportCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('export')
    .description(
      'write a saved model for another engine: ONNX (one .onnx file), TensorFlow.js (a Layers model directory) or PyTorch (a folder with model.py and train.py for torchrun)',
    )
    .requiredOption('--model <dir>', 'model directory')
    .addOption(new Option('--format <name>', 'what to write').choices(EXPORT_FORMAT_NAMES).makeOptionMandatory())
    .requiredOption('--out <path>', 'the file (onnx) or directory (tfjs, pytorch) to write, atomically')
    .option('--overwrite', 'replace --out even when it is not an earlier export of this format', false)
    .option('--json', 'print one JSON object on stdout', false)
    .action(async (o: { model: string; format: ExportFormatName; out: string; overwrite: boolean; json: boolean }) => {
      const format: ExportFormat = EXPORT_FORMATS[o.format];
      const model = await loadModel(o.model);
      await vetOutput(o.out, {
        target: format.target,
        overwrite: o.overwrite,
        isOurs: format.isOurs ?? (async () => false),
        what: `${o.format} export`,
      });
      await format.write(model, o.out);
      io.stdout.write(
        o.json
          ? JSON.stringify({
              model: o.model,
              format: o.format,
              out: o.out,
              inputs: model.network.inputFeatures,
              outputs: model.network.outputFeatures,
              task: model.task,
            }) + '\n'
          : `wrote ${format.describe?.(model, o.out) ?? `${o.out} (${o.format})`}\n`,
      );
      setExit(0);
    });
}

/**
 * Refuses to replace what the user may want to keep: an existing `out` is replaced only when it is
 * empty, was written by the same kind of export (`isOurs`), or `overwrite` is set; a directory is
 * never replaced by a file.
 */
export async function vetOutput(
  out: string,
  o: { target: 'file' | 'directory'; overwrite: boolean; isOurs: (out: string) => Promise<boolean>; what: string },
): Promise<void> {
  const stat = await fs.stat(out).catch(() => null);
  if (stat === null) return;
  if (o.target === 'file' && stat.isDirectory())
    throw new ConfigError(`--out ${out} is a directory; the ${o.what} writes a file`);
  const empty = stat.isDirectory() ? (await fs.readdir(out)).length === 0 : stat.size === 0;
  if (empty || o.overwrite || (stat.isDirectory() === (o.target === 'directory') && (await o.isOurs(out)))) return;
  throw new ConfigError(
    `--out ${out} already exists and is not a ${o.what} written by backprop; pass --overwrite to replace it`,
  );
}

async function isBackpropOnnx(file: string): Promise<boolean> {
  try {
    return decodeModelProto(new Uint8Array(await fs.readFile(file))).producer_name === 'backprop';
  } catch {
    return false;
  }
}

async function isBackpropPytorch(dir: string): Promise<boolean> {
  const head = await fs.readFile(path.join(dir, 'README.txt'), 'utf8').catch(() => '');
  return head.startsWith('# written by backprop\nPyTorch export');
}

async function isBackpropTfjs(dir: string): Promise<boolean> {
  try {
    const json = JSON.parse(await fs.readFile(path.join(dir, TFJS_MODEL_FILE), 'utf8')) as { generatedBy?: unknown };
    return typeof json.generatedBy === 'string' && json.generatedBy.startsWith('backprop');
  } catch {
    return false;
  }
}

function outputKind(model: Sequential): string {
  return model.task === 'regression' || model.task === null ? 'values' : 'probabilities';
}
