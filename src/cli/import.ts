// `backprop import`: an MLP from another engine (ONNX file, TensorFlow.js Layers model) as a backprop model directory.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import {
  type Backend,
  loadOnnx,
  loadTfjs,
  MODEL_FILE,
  MODEL_FORMAT,
  type Sequential,
  saveModel,
  TASKS,
  type Task,
} from '../node.js';
import { vetOutput } from './export.js';
import type { CliIo } from './io.js';

const IMPORT_FORMATS = {
  onnx: (file: string, o: { task?: Task; backend?: Backend }) => loadOnnx(file, o),
  tfjs: (location: string, o: { task?: Task; backend?: Backend }) => loadTfjs(location, o),
} satisfies Record<string, (location: string, o: { task?: Task }) => Promise<Sequential>>;

type ImportFormatName = keyof typeof IMPORT_FORMATS;

export function importCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('import')
    .description(
      'turn an MLP from another engine into a backprop model directory (it then predicts, evaluates and trains with --init-from like any other)',
    )
    .argument('<path>', 'the .onnx file, or the tfjs model.json (or its directory)')
    .addOption(
      new Option('--format <name>', 'what <path> is').choices(Object.keys(IMPORT_FORMATS)).makeOptionMandatory(),
    )
    .requiredOption('--out <dir>', 'the model directory to write (atomically)')
    .addOption(
      new Option(
        '--task <task>',
        "what the outputs are, when the file's metadata does not say (default: softmax → classification, sigmoid → multilabel, else regression)",
      ).choices(TASKS),
    )
    .option('--overwrite', 'replace --out even when it is not a backprop model directory', false)
    .option('--json', 'print one JSON object on stdout', false)
    .action(
      async (
        location: string,
        o: { format: ImportFormatName; out: string; task?: Task; overwrite: boolean; json: boolean },
      ) => {
        await vetOutput(o.out, {
          target: 'directory',
          overwrite: o.overwrite,
          isOurs: isModelDirectory,
          what: 'model directory',
        });
        const model = await IMPORT_FORMATS[o.format](location, { task: o.task });
        await saveModel(model, o.out);
        const s = model.summary();
        const dense = s.layers.filter((l) => l.type === 'dense').length;
        io.stdout.write(
          o.json
            ? JSON.stringify({
                source: location,
                format: o.format,
                out: o.out,
                task: model.task,
                inputs: s.inputs,
                outputs: s.outputs,
                denseLayers: dense,
                scaler: model.scaler?.type ?? null,
              }) + '\n'
            : `imported ${location} (${o.format}): ${s.inputs} inputs → ${s.outputs} outputs, ${dense} dense layers, ${model.task}, scaler ${model.scaler?.type ?? 'none'}; wrote ${o.out}\n`,
        );
        setExit(0);
      },
    );
}

async function isModelDirectory(dir: string): Promise<boolean> {
  try {
    return (
      (JSON.parse(await fs.readFile(path.join(dir, MODEL_FILE), 'utf8')) as { format?: unknown }).format ===
      MODEL_FORMAT
    );
  } catch {
    return false;
  }
}
