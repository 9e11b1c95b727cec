// `backprop gradcheck`: back-propagated gradients of a saved model against central differences (float64).
import { Command } from 'commander';
import { gradCheck, loadModel, Network, Sequential } from '../node.js';
import { readModelCsv } from './csv-data.js';
import type { CliIo } from './io.js';
import { integerOption, numberOption } from './options.js';

interface GradcheckOptions {
  model: string;
  data: string;
  threshold: number;
  atol: number;
  epsilon: number;
  examples: number;
  perTensor: number;
  seed: number;
  json: boolean;
}

export function gradcheckCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('gradcheck')
    .description(
      'compare back-propagation with numerical gradients on a float64 copy of a saved model; exit 1 above the threshold',
    )
    .requiredOption('--model <dir>', 'model directory')
    .requiredOption('--data <file>', 'CSV file with the feature and target columns')
    .option(
      '--threshold <x>',
      'largest acceptable relative error (float64 central differences reach ~1e-9)',
      numberOption('--threshold', { min: 0, minExclusive: true }),
      1e-6,
    )
    .option(
      '--atol <x>',
      'absolute floor: a tensor passes when ‖g − ĝ‖ ≤ atol + threshold·(‖g‖ + ‖ĝ‖) (round-off of the central difference is ~1e-10)',
      numberOption('--atol', { min: 0 }),
      1e-8,
    )
    .option(
      '--epsilon <x>',
      'step of the central difference',
      numberOption('--epsilon', { min: 0, minExclusive: true }),
      1e-6,
    )
    .option('--examples <n>', 'use the first n examples', integerOption('--examples', 1), 64)
    .option('--per-tensor <n>', 'entries checked per parameter tensor (sampled)', integerOption('--per-tensor', 1), 200)
    .option('--seed <n>', 'seed of the sampled entries', integerOption('--seed'), 0)
    .option('--json', 'print the report as one JSON object on stdout', false)
    .action(async (o: GradcheckOptions) => {
      const model = await loadModel(o.model);
      const csv = readModelCsv(o.data, model, true);
      const report = gradCheck(withoutDropout(model), csv.x, csv.y!, {
        threshold: o.threshold,
        atol: o.atol,
        epsilon: o.epsilon,
        maxExamples: o.examples,
        maxPerTensor: o.perTensor,
        seed: o.seed,
      });
      if (o.json) {
        io.stdout.write(JSON.stringify(report) + '\n');
      } else {
        for (const t of report.tensors)
          io.stdout.write(
            `${t.name.padEnd(18)} [${t.shape.join(', ')}]  checked ${t.checked}  relative error ${t.relativeError.toExponential(2)}\n`,
          );
        io.stdout.write(
          `${report.passed ? 'passed' : 'FAILED'}: max relative error ${report.maxRelativeError.toExponential(2)} (threshold ${report.threshold.toExponential(0)}, absolute floor ${report.atol.toExponential(0)}, ${report.examples} examples, float64)\n`,
        );
      }
      if (!report.passed)
        io.stderr.write(
          `error: gradient check failed: max relative error ${report.maxRelativeError.toExponential(2)} exceeds ${report.threshold} in ${report.tensors
            .filter((t) => !t.passed)
            .map((t) => t.name)
            .join(', ')}\n`,
        );
      setExit(report.passed ? 0 : 1);
    });
}

/** Dropout is the identity at inference; the check runs on the deterministic network without it. */
function withoutDropout(model: Sequential): Sequential {
  if (model.network.layers.every((l) => l.type !== 'dropout')) return model;
  const copy = new Sequential(
    new Network(
      model.network.layers.filter((l) => l.type !== 'dropout'),
      model.network.context,
    ),
  );
  copy.task = model.task;
  copy.scaler = model.scaler;
  copy.compile({ loss: model.loss, metrics: model.metrics });
  return copy;
}
