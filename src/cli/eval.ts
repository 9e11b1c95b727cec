// `backprop eval`: loss and metrics of a saved model on a CSV file holding its target columns.
import { Command, Option } from 'commander';
import { ByteImageSource, DataError, loadImageDataset, loadModel, type Sequential } from '../node.js';
import { BACKEND_CHOICES, BACKEND_HELP, selectBackend } from './backend.js';
import { delimiterOption, readModelCsv } from './csv-data.js';
import { formatMetrics } from './format.js';
import type { CliIo } from './io.js';
import { isImageDataset } from './train-data.js';

export function evalCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('eval')
    .description("loss and metrics of a saved model on a CSV file (targets from model.json's targetNames)")
    .requiredOption('--model <dir>', 'model directory')
    .requiredOption('--data <file>', 'CSV file with the feature and target columns, or fashion-mnist / mnist (its test images)')
    .option('--data-dir <dir>', 'directory holding the IDX files of fashion-mnist / mnist')
    .addOption(delimiterOption())
    .addOption(new Option('--backend <name>', BACKEND_HELP).choices(BACKEND_CHOICES).default('auto'))
    .option('--json', 'print one JSON object on stdout', false)
    .action(async (o: { model: string; data: string; dataDir?: string; delimiter: string; backend: string; json: boolean }) => {
      const selected = await selectBackend(o.backend);
      try {
        const model = await loadModel(o.model, { backend: selected.backend });
        const { metrics, examples } = isImageDataset(o.data) ? await evaluateImages(model, o.data, o.dataDir) : evaluateCsv(model, o.data, o.delimiter);
        io.stdout.write(o.json ? JSON.stringify({ ...metrics, examples, backend: selected.name }) + '\n' : `${formatMetrics(metrics)}  (${examples} examples, backend ${selected.name})\n`);
        setExit(0);
      } finally {
        selected.dispose();
      }
    });
}

function evaluateCsv(model: Sequential, file: string, delimiter: string): { metrics: Record<string, number>; examples: number } {
  const csv = readModelCsv(file, model, true, { delimiter });
  return { metrics: model.evaluate(csv.x, csv.y!), examples: csv.x.shape[0]! };
}

async function evaluateImages(model: Sequential, name: string, dataDir?: string): Promise<{ metrics: Record<string, number>; examples: number }> {
  const ds = await loadImageDataset(name, { dataDir });
  const pixels = ds.test.rows * ds.test.cols;
  if (model.network.inputFeatures !== pixels || model.network.outputFeatures !== ds.classNames.length) {
    throw new DataError(`${name}: the model takes ${model.network.inputFeatures} inputs and has ${model.network.outputFeatures} outputs; ${name} needs ${pixels} and ${ds.classNames.length}`);
  }
  return { metrics: model.evaluate(new ByteImageSource(ds.test.images, ds.test.labels, pixels, ds.classNames.length)), examples: ds.test.count };
}
