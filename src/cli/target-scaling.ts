// --standardize-targets: regression targets standardised with the training rows' mean and standard
// deviation, the network trained on them, and every reported number back in the original units.
import {
  type BatchSource,
  ConfigError,
  createMetric,
  lossValue,
  type Sequential,
  StandardScaler,
  type Tensor,
  TensorSource,
} from '../node.js';
import type { TrainingData } from './train-data.js';

/**
 * Fits the target scaler on the training split (or takes `fitted`, a continued model's) and
 * standardises the targets of every split in place (each split holds its own copy of its rows).
 */
export function standardizeTargets(data: TrainingData, fitted: StandardScaler | null = null): StandardScaler {
  const sources = [data.train, data.validation, data.test].filter((s) => s !== null).map((s) => s.source);
  if (!sources.every((s): s is TensorSource => s instanceof TensorSource))
    throw new ConfigError('--standardize-targets applies to regression on tables, not to images');
  const [train, ...rest] = sources;
  // A continued model keeps the target scaler it was trained with.
  const scaler = fitted ?? StandardScaler.fit(train!.y);
  for (const s of [train!, ...rest]) scaler.transformInPlace(s.y.data, s.size);
  return scaler;
}

/** Undoes the standardisation: y = z·σ + μ per output, in place. */
export function invertTargetsInPlace(scaler: StandardScaler, data: Float32Array | Float64Array, m: number): void {
  const k = scaler.features;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < k; j++) data[i * k + j] = data[i * k + j]! * scaler.scale[j]! + scaler.mean[j]!;
}

/** The model's predictions for x in the original target units. */
export function predictOriginal(model: Sequential, x: Tensor): Tensor {
  const p = model.predict(x);
  if (model.targetScaler) invertTargetsInPlace(model.targetScaler, p.data, p.shape[0]!);
  return p;
}

/**
 * Loss and metrics of a model whose targets were standardised, computed on the original units:
 * `yScaled` are the source's (standardised) targets, inverted before comparing.
 */
export function evaluateOriginal(model: Sequential, source: BatchSource): Record<string, number> {
  const scaler = model.targetScaler;
  if (!scaler || !(source instanceof TensorSource)) return model.evaluate(source);
  const y = source.y.clone();
  invertTargetsInPlace(scaler, y.data, source.size);
  return evaluateUnscaled(model, source.x, y);
}

/** Loss and metrics of predictOriginal(x) against targets y in the original units. */
export function evaluateUnscaled(model: Sequential, x: Tensor, y: Tensor): Record<string, number> {
  const output = predictOriginal(model, x);
  const result: Record<string, number> = {
    loss: lossValue(model.loss, { output, target: y, activation: null, logits: null }),
  };
  for (const name of model.metrics) {
    const metric = createMetric(name);
    metric.update(output.data, y.data, y.shape[0]!, y.shape[1]!);
    result[name] = metric.result();
  }
  return result;
}
