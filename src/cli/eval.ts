// `backprop eval`: loss and metrics of a saved model on a CSV file holding its target columns.

import { basename } from 'node:path';
import { Command, Option } from 'commander';
import {
  ByteImageSource,
  DataError,
  type ImageInput,
  loadImageDataset,
  loadModel,
  readTableFile,
  type Sequential,
} from '../node.js';
import { BACKEND_CHOICES, BACKEND_HELP, selectBackend } from './backend.js';
import { byteProgress } from './byte-progress.js';
import { delimiterOption, readModelCsv } from './csv-data.js';
import { formatMetrics } from './format.js';
import { labelledImages } from './image-input.js';
import type { CliIo } from './io.js';
import { evaluateStreamed, streamOption } from './stream-table.js';
import { evaluateUnscaled } from './target-scaling.js';
import { isImageDataset, streamsTable } from './train-data.js';

export function evalCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('eval')
    .description("loss and metrics of a saved model on a CSV file (targets from model.json's targetNames)")
    .requiredOption('--model <dir>', 'model directory')
    .requiredOption(
      '--data <file>',
      'table file with the feature and target columns (CSV, Parquet, Arrow/Feather, .npy, .npz), an image folder (its test/ folder when it has one), or fashion-mnist / mnist (its test images)',
    )
    .option('--features <name>', '.npz files: the features array (default x)')
    .option('--data-dir <dir>', 'directory holding the IDX files of fashion-mnist / mnist')
    .addOption(delimiterOption())
    .addOption(streamOption())
    .addOption(new Option('--backend <name>', BACKEND_HELP).choices(BACKEND_CHOICES).default('auto'))
    .option('--json', 'print one JSON object on stdout', false)
    .action(
      async (o: {
        model: string;
        data: string;
        dataDir?: string;
        features?: string;
        delimiter: string;
        stream?: boolean;
        backend: string;
        json: boolean;
      }) => {
        const selected = await selectBackend(o.backend);
        try {
          const model = await loadModel(o.model, { backend: selected.backend });
          const { metrics, examples } = isImageDataset(o.data)
            ? await evaluateImages(model, o.data, o.dataDir)
            : model.input?.kind === 'image'
              ? await evaluateImageFolder(model, model.input, o.data)
              : streamsTable(o.data, o.stream)
                ? await evaluateStreamed(model, {
                    file: o.data,
                    delimiter: o.delimiter,
                    features: o.features,
                    onProgress: byteProgress(io.stderr, `reading ${basename(o.data)}`),
                  })
                : await evaluateTable(model, o.data, o.features, o.delimiter);
          io.stdout.write(
            o.json
              ? JSON.stringify({ ...metrics, examples, backend: selected.name }) + '\n'
              : `${formatMetrics(metrics)}  (${examples} examples, backend ${selected.name})\n`,
          );
          setExit(0);
        } finally {
          selected.dispose();
        }
      },
    );
}

async function evaluateTable(
  model: Sequential,
  file: string,
  features: string | undefined,
  delimiter: string,
): Promise<{ metrics: Record<string, number>; examples: number }> {
  const csv = readModelCsv(file, model, true, (await readTableFile(file, { features, delimiter })).table);
  // With standardised targets the network's outputs are inverted and compared in the original units.
  const metrics = model.targetScaler ? evaluateUnscaled(model, csv.x, csv.y!) : model.evaluate(csv.x, csv.y!);
  return { metrics, examples: csv.x.shape[0]! };
}

async function evaluateImageFolder(
  model: Sequential,
  input: ImageInput,
  dir: string,
): Promise<{ metrics: Record<string, number>; examples: number }> {
  const source = await labelledImages(model, input, dir);
  return { metrics: model.evaluate(source), examples: source.size };
}

async function evaluateImages(
  model: Sequential,
  name: string,
  dataDir?: string,
): Promise<{ metrics: Record<string, number>; examples: number }> {
  const ds = await loadImageDataset(name, { dataDir });
  const pixels = ds.test.rows * ds.test.cols;
  if (model.network.inputFeatures !== pixels || model.network.outputFeatures !== ds.classNames.length) {
    throw new DataError(
      `${name}: the model takes ${model.network.inputFeatures} inputs and has ${model.network.outputFeatures} outputs; ${name} needs ${pixels} and ${ds.classNames.length}`,
    );
  }
  return {
    metrics: model.evaluate(new ByteImageSource(ds.test.images, ds.test.labels, pixels, ds.classNames.length)),
    examples: ds.test.count,
  };
}
