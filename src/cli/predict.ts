// `backprop predict`: predictions of a saved model as CSV, one row per example.

import { basename } from 'node:path';
import { Command, Option } from 'commander';
import {
  argmaxRow,
  ConfigError,
  checkFileOut,
  type Label,
  loadModel,
  readTableFile,
  type Sequential,
  type Tensor,
  writeFileOut,
} from '../node.js';
import { BACKEND_CHOICES, BACKEND_HELP, selectBackend } from './backend.js';
import { byteProgress } from './byte-progress.js';
import { delimiterOption, readModelCsv } from './csv-data.js';
import { imageFiles, imageSource, predictImages } from './image-input.js';
import type { CliIo } from './io.js';
import { predictStreamed, streamOption } from './stream-table.js';
import { predictOriginal } from './target-scaling.js';
import { streamsTable } from './train-data.js';

export function predictCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('predict')
    .description(
      'predict with a saved model: labels and prob_<label> columns (classification), values (regression), probabilities and 0/1 per label (multilabel)',
    )
    .requiredOption('--model <dir>', 'model directory')
    .requiredOption(
      '--data <file>',
      'table file with the feature columns (CSV, Parquet, Arrow/Feather, .npy, .npz; target columns, if present, are ignored), or for an image model an image file or folder',
    )
    .option('--features <name>', '.npz files: the features array (default x)')
    .option('--out <file>', 'write the CSV here (atomically) instead of stdout')
    .option('--overwrite', 'replace the --out file if it exists', false)
    .addOption(delimiterOption())
    .addOption(streamOption())
    .addOption(new Option('--backend <name>', BACKEND_HELP).choices(BACKEND_CHOICES).default('auto'))
    .action(
      async (o: {
        model: string;
        data: string;
        features?: string;
        out?: string;
        overwrite: boolean;
        delimiter: string;
        stream?: boolean;
        backend: string;
      }) => {
        const out = { what: 'the predictions', name: 'predictions.csv', overwrite: o.overwrite };
        if (o.out) await checkFileOut(o.out, out);
        const selected = await selectBackend(o.backend);
        try {
          const model = await loadModel(o.model, { backend: selected.backend });
          if (model.input?.kind !== 'image' && streamsTable(o.data, o.stream)) {
            // Rows are written as they are predicted; with --out through a temporary file renamed at the end.
            const request = {
              file: o.data,
              delimiter: o.delimiter,
              features: o.features,
              onProgress: byteProgress(io.stderr, `reading ${basename(o.data)}`),
            };
            await predictStreamed(model, request, o.out ? { file: o.out } : { write: (t) => io.stdout.write(t) });
            setExit(0);
            return;
          }
          let text: string;
          if (model.input?.kind === 'image') {
            const files = imageFiles(o.data);
            const source = await imageSource(
              model.input,
              files.paths,
              new Uint8Array(files.paths.length),
              model.network.outputFeatures,
            );
            text = predictionCsv(
              model,
              predictImages(source, (x) => predictOriginal(model, x)),
              files.names,
            );
          } else {
            const csv = readModelCsv(
              o.data,
              model,
              false,
              (await readTableFile(o.data, { features: o.features, delimiter: o.delimiter })).table,
            );
            text = predictionCsv(model, predictOriginal(model, csv.x));
          }
          if (o.out) await writeFileOut(o.out, text, out);
          else io.stdout.write(text);
          setExit(0);
        } finally {
          selected.dispose();
        }
      },
    );
}

/** The prediction table of `p` [m, outputs] as CSV text; `rowNames` (image files) make a first column `path`. */
export function predictionCsv(model: Sequential, p: Tensor, rowNames: string[] | null = null): string {
  const [m, k] = p.shape as [number, number];
  const value = (r: number, j: number): string => String(p.data[r * k + j]!);
  const names = (model.labels ?? []).map(String);
  const lines: string[] = [];
  const withNames = (): string[] =>
    rowNames ? lines.map((line, r) => `${r === 0 ? 'path' : csvCell(rowNames[r - 1]!)},${line}`) : lines;
  switch (model.task) {
    case 'classification': {
      const labels: Label[] = model.labels ?? Array.from({ length: k }, (_, j) => j);
      const column = model.targetNames?.[0] ?? 'label';
      lines.push([column, ...labels.map((l) => `prob_${l}`)].map(csvCell).join(','));
      // The argmax of the probabilities already computed (predictClasses would run the network again).
      for (let r = 0; r < m; r++)
        lines.push(
          [csvCell(String(labels[argmaxRow(p.data, r, k)])), ...Array.from({ length: k }, (_, j) => value(r, j))].join(
            ',',
          ),
        );
      break;
    }
    case 'multilabel': {
      const labels = names.length === k ? names : Array.from({ length: k }, (_, j) => `label${j}`);
      lines.push([...labels.map((l) => `prob_${l}`), ...labels].map(csvCell).join(','));
      for (let r = 0; r < m; r++) {
        const probs = Array.from({ length: k }, (_, j) => value(r, j));
        const flags = Array.from({ length: k }, (_, j) => (p.data[r * k + j]! >= 0.5 ? '1' : '0'));
        lines.push([...probs, ...flags].join(','));
      }
      break;
    }
    case 'regression':
    case null: {
      const targets =
        model.targetNames?.length === k ? model.targetNames : Array.from({ length: k }, (_, j) => `output${j}`);
      lines.push(targets.map(csvCell).join(','));
      for (let r = 0; r < m; r++) lines.push(Array.from({ length: k }, (_, j) => value(r, j)).join(','));
      break;
    }
    default:
      throw new ConfigError(`predict: unknown task '${String(model.task)}'`);
  }
  return withNames().join('\n') + '\n';
}

/** Quotes a cell when it holds a comma, quote or line break (RFC 4180). */
function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
