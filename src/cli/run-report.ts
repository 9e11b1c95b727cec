// Builds the HTML report's input from a model and its data (used by `train --report` and `report`).
import { REPORT_FILE, prepareDirOut, writeReport, type History, type OutOptions, type ReportInput, type Sequential, type Tensor } from '../node.js';

type LabelledImage = NonNullable<ReportInput['misclassified']>[number];

/** What the report needs of one evaluated split. */
export interface ReportSplit {
  name: string;
  /** Rows [start, start + count) of the split's inputs. */
  inputs: (start: number, count: number) => Tensor;
  /** True class indices (classification), or null. */
  classes: ArrayLike<number> | null;
  images: { pixels: Uint8Array; width: number; height: number } | null;
}

const MAX_MISCLASSIFIED = 36;
const PREDICT_ROWS = 1000;

/** What `train --report` and `report` write into their directory. */
export const REPORT_OUT = { what: 'the report', files: [REPORT_FILE] };

/** Writes `dir/report.html` once `dir` passes the output rules (src/io/out-path.ts); returns its path. */
export async function writeModelReport(dir: string, model: Sequential, options: OutOptions & {
  title: string;
  history: History;
  metrics: Record<string, Record<string, number>>;
  config: ReportInput['config'];
  split: ReportSplit | null;
}): Promise<string> {
  const summary = model.summary();
  const classNames = model.labels?.map(String);
  const input: ReportInput = {
    title: options.title,
    history: options.history,
    summary: { layers: summary.layers.map((l) => ({ ...l, type: l.type as string })), totalParameters: summary.totalParameters },
    config: options.config,
    metrics: options.metrics,
    classNames,
  };
  const split = options.split;
  if (model.task === 'classification' && split?.classes && classNames) {
    // A thousand rows at a time: 10 000 images as one float tensor would be 31 MB more at the peak.
    const predicted: number[] = [];
    for (let start = 0; start < split.classes.length; start += PREDICT_ROWS) {
      predicted.push(...model.predictClasses(split.inputs(start, Math.min(PREDICT_ROWS, split.classes.length - start))));
    }
    input.evaluation = { trueLabels: split.classes, predicted };
    if (split.images) input.misclassified = misclassified(split.images, split.classes, predicted, classNames);
  }
  await prepareDirOut(dir, REPORT_OUT, { overwrite: options.overwrite });
  return writeReport(dir, input);
}

function misclassified(images: NonNullable<ReportSplit['images']>, truth: ArrayLike<number>, predicted: number[], names: string[]): LabelledImage[] {
  const out: LabelledImage[] = [];
  const size = images.width * images.height;
  for (let i = 0; i < predicted.length && out.length < MAX_MISCLASSIFIED; i++) {
    if (predicted[i] === truth[i]) continue;
    out.push({
      pixels: images.pixels.subarray(i * size, (i + 1) * size),
      width: images.width,
      height: images.height,
      trueLabel: names[truth[i]!]!,
      predicted: names[predicted[i]!]!,
    });
  }
  return out;
}

/** Flattens a training configuration to the scalar table the report shows. */
export function reportConfig(config: Record<string, unknown>): ReportInput['config'] {
  const out: ReportInput['config'] = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === 'history' || k === 'metrics') continue;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else if (v !== undefined) out[k] = JSON.stringify(v);
  }
  return out;
}
