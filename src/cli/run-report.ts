// Builds the HTML report's input from a model and its data (used by `train --report` and `report`).
import {
  type BatchSource,
  type History,
  type OutOptions,
  prepareDirOut,
  REPORT_FILE,
  type ReportInput,
  type Sequential,
  type Tensor,
  TensorSource,
  writeReport,
} from '../node.js';
import { invertTargetsInPlace, predictOriginal } from './target-scaling.js';

type LabelledImage = NonNullable<ReportInput['misclassified']>[number];

/** What the report needs of one evaluated split. */
export interface ReportSplit {
  name: string;
  /** Rows [start, start + count) of the split's inputs. */
  inputs: (start: number, count: number) => Tensor;
  /** True class indices (classification), or null. */
  classes: ArrayLike<number> | null;
  /** The split's images: example i is image rows[i] (i without rows); gray unless channels is 3. */
  images: { pixels: Uint8Array; width: number; height: number; channels?: number; rows?: Uint32Array | null } | null;
  /** The split's rows with their targets (regression plots); targets standardised when the model has a targetScaler. */
  source?: BatchSource;
}

const MAX_MISCLASSIFIED = 36;
const PREDICT_ROWS = 1000;

/** What `train --report` and `report` write into their directory. */
export const REPORT_OUT = { what: 'the report', files: [REPORT_FILE] };

/** Writes `dir/report.html` once `dir` passes the output rules (src/io/out-path.ts); returns its path. */
export async function writeModelReport(
  dir: string,
  model: Sequential,
  options: OutOptions & {
    title: string;
    history: History;
    metrics: Record<string, Record<string, number>>;
    config: ReportInput['config'];
    split: ReportSplit | null;
  },
): Promise<string> {
  const summary = model.summary();
  const classNames = model.labels?.map(String);
  const input: ReportInput = {
    title: options.title,
    history: options.history,
    summary: { layers: summary.layers, totalParameters: summary.totalParameters },
    config: options.config,
    metrics: options.metrics,
    classNames,
  };
  const split = options.split;
  if (model.task === 'classification' && split?.classes && classNames) {
    // A thousand rows at a time: 10 000 images as one float tensor would be 31 MB more at the peak.
    const predicted: number[] = [];
    for (let start = 0; start < split.classes.length; start += PREDICT_ROWS) {
      predicted.push(
        ...model.predictClasses(split.inputs(start, Math.min(PREDICT_ROWS, split.classes.length - start))),
      );
    }
    input.evaluation = { trueLabels: split.classes, predicted };
    if (split.images) input.misclassified = misclassified(split.images, split.classes, predicted, classNames);
  }
  await prepareDirOut(dir, REPORT_OUT, { overwrite: options.overwrite });
  if (model.task === 'regression' && split?.source instanceof TensorSource && split.source.size > 0) {
    input.regression = regressionPoints(model, split.source, split.name);
  }
  return writeReport(dir, input);
}

function misclassified(
  images: NonNullable<ReportSplit['images']>,
  truth: ArrayLike<number>,
  predicted: number[],
  names: string[],
): LabelledImage[] {
  const out: LabelledImage[] = [];
  const channels = images.channels === 3 ? 3 : 1;
  const size = images.width * images.height * channels;
  for (let i = 0; i < predicted.length && out.length < MAX_MISCLASSIFIED; i++) {
    if (predicted[i] === truth[i]) continue;
    const image = images.rows ? images.rows[i]! : i;
    out.push({
      pixels: images.pixels.subarray(image * size, (image + 1) * size),
      width: images.width,
      height: images.height,
      channels,
      trueLabel: names[truth[i]!]!,
      predicted: names[predicted[i]!]!,
    });
  }
  return out;
}

/** Actual and predicted values of the first target, in the original units. */
function regressionPoints(
  model: Sequential,
  source: TensorSource,
  split: string,
): NonNullable<ReportInput['regression']> {
  const m = source.size,
    k = source.targets;
  const y = source.y.data.slice();
  if (model.targetScaler) invertTargetsInPlace(model.targetScaler, y, m);
  const p = predictOriginal(model, source.x);
  return {
    actual: Float64Array.from({ length: m }, (_, i) => y[i * k]!),
    predicted: Float64Array.from({ length: m }, (_, i) => p.data[i * k]!),
    target: model.targetNames?.[0] ?? 'target',
    split,
  };
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
