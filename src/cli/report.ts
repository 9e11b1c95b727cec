// `backprop report` (HTML report of a saved model on data) and `backprop plot` (SVG training curves).
import { basename } from 'node:path';
import { Command } from 'commander';
import {
  argmaxRows,
  checkDirOut,
  DataError,
  type History,
  type ImageInput,
  loadModel,
  plotFiles,
  prepareDirOut,
  readTableFile,
  type Sequential,
  type Tensor,
  TensorSource,
  writePlots,
} from '../node.js';
import { readModelCsv } from './csv-data.js';
import { labelledImages } from './image-input.js';
import type { CliIo } from './io.js';
import { REPORT_OUT, type ReportSplit, reportConfig, writeModelReport } from './run-report.js';
import { evaluateUnscaled } from './target-scaling.js';
import { rowRange } from './train-data.js';

/** The history saved by `train` in model.json (training.history), or none. */
function savedHistory(training: Record<string, unknown>): History {
  const h = training.history;
  return Array.isArray(h) ? (h as History) : [];
}

export function reportCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('report')
    .description(
      'write an HTML report of a saved model evaluated on a table or an image folder (curves from its saved history)',
    )
    .requiredOption('--model <dir>', 'model directory')
    .requiredOption(
      '--data <file>',
      'table file with the feature and target columns (CSV, Parquet, Arrow/Feather, .npy, .npz), or an image folder for an image model',
    )
    .requiredOption('--out <dir>', 'directory for report.html')
    .option(
      '--overwrite',
      'write into a directory that holds other files, or replace a report.html backprop did not write (other files are left alone)',
      false,
    )
    .action(async (o: { model: string; data: string; out: string; overwrite: boolean }) => {
      await checkDirOut(o.out, REPORT_OUT, { overwrite: o.overwrite });
      const model = await loadModel(o.model);
      const { metrics, split } =
        model.input?.kind === 'image' ? await imageSplit(model, model.input, o.data) : await tableSplit(model, o.data);
      const path = await writeModelReport(o.out, model, {
        overwrite: o.overwrite,
        title: `backprop: ${basename(o.model)} on ${basename(o.data)}`,
        history: savedHistory(model.trainingConfig),
        metrics,
        config: { model: o.model, data: o.data, ...reportConfig(model.trainingConfig) },
        split,
      });
      io.stdout.write(`report written to ${path}\n`);
      setExit(0);
    });
}

export function plotCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('plot')
    .description("write SVG training curves (loss.svg, <metric>.svg) from a saved model's history")
    .requiredOption('--model <dir>', 'model directory')
    .requiredOption('--out <dir>', 'directory for the SVG files')
    .option(
      '--overwrite',
      'write into a directory that holds other files, or replace SVG files of these names backprop did not write (other files are left alone)',
      false,
    )
    .action(async (o: { model: string; out: string; overwrite: boolean }) => {
      const model = await loadModel(o.model);
      const history = savedHistory(model.trainingConfig);
      if (history.length === 0)
        throw new DataError(`${o.model}: model.json has no training history (training.history) to plot`);
      await prepareDirOut(o.out, { what: 'the plots', files: plotFiles(history) }, { overwrite: o.overwrite });
      const files = await writePlots(o.out, history);
      for (const f of files) io.stdout.write(`${f}\n`);
      setExit(0);
    });
}

type Evaluated = { metrics: Record<string, Record<string, number>>; split: ReportSplit };

async function tableSplit(model: Sequential, file: string): Promise<Evaluated> {
  const csv = readModelCsv(file, model, true, (await readTableFile(file)).table);
  const metrics = { data: model.targetScaler ? evaluateUnscaled(model, csv.x, csv.y!) : model.evaluate(csv.x, csv.y!) };
  const classes = csv.rowLabels && model.labels ? argmaxRows(csv.y!) : null;
  return {
    metrics,
    split: {
      name: 'data',
      inputs: (start, count) => rowRange(csv.x, start, count),
      classes,
      images: null,
      source: scaledSource(model, csv.x, csv.y!),
    },
  };
}

/** A labelled image folder (its test/ folder when it has one), with the images for the misclassified grid. */
async function imageSplit(model: Sequential, input: ImageInput, dir: string): Promise<Evaluated> {
  const source = await labelledImages(model, input, dir);
  return {
    metrics: { data: model.evaluate(source) },
    split: {
      name: 'data',
      inputs: (start, count) => source.toTensor(start, count),
      classes: source.classes(),
      images: { pixels: source.images, width: input.width, height: input.height, channels: input.channels },
    },
  };
}

/** The rows as a source whose targets are on the network's scale (standardised when the model standardised them). */
function scaledSource(model: Sequential, x: Tensor, y: Tensor): TensorSource {
  if (!model.targetScaler) return new TensorSource(x, y);
  return new TensorSource(x, model.targetScaler.transform(y));
}
