// Validation of a loaded model directory: every field of model.json checked for its type and value,
// and the weights checked to be finite, each failure a FormatError naming the field or tensor.
import { BackpropError, check, FormatError } from '../core/errors.js';
import { formatShape, type Tensor } from '../core/tensor.js';
import { TASKS } from '../model/sequential.js';
import { ACTIVATIONS, resolveActivation } from '../nn/activations.js';
import type { LayerConfig } from '../nn/layer.js';
import { LOSSES, resolveLoss } from '../nn/losses.js';
import { METRICS } from '../train/metrics.js';

/** Checks the fields of a parsed model.json that modelFromParts reads; throws a FormatError naming the first bad one. */
export function checkModelJson(json: unknown, src: string, file: string): void {
  const bad = (field: string, expected: string, value: unknown): string =>
    `${src}: ${file}: ${field} must be ${expected}, got ${show(value)}`;
  check(isObject(json), FormatError, () => `${src}: ${file} must hold a JSON object, got ${show(json)}`);
  const j = json;
  const architecture = j.architecture;
  check(isObject(architecture), FormatError, () => bad('architecture', 'an object', architecture));
  const layers = architecture.layers;
  check(Array.isArray(layers) && layers.length > 0, FormatError, () =>
    bad('architecture.layers', 'a non-empty array', layers),
  );
  layers.forEach((l: unknown, i) => {
    const field = `architecture.layers[${i}]`;
    check(isObject(l), FormatError, () => bad(field, 'an object', l));
    const activation = (): void => {
      check(typeof l.activation === 'string' && resolves(resolveActivation, l.activation), FormatError, () =>
        bad(`${field}.activation`, `one of ${ACTIVATIONS.join(', ')}`, l.activation),
      );
      check(l.slope === undefined || finite(l.slope), FormatError, () =>
        bad(`${field}.slope`, 'a finite number', l.slope),
      );
    };
    switch (l.type) {
      case 'dense':
        for (const k of ['inFeatures', 'outFeatures'])
          check(Number.isSafeInteger(l[k]) && (l[k] as number) > 0, FormatError, () =>
            bad(`${field}.${k}`, 'a positive integer', l[k]),
          );
        activation();
        break;
      case 'activation':
        activation();
        break;
      case 'dropout':
        check(finite(l.rate) && l.rate >= 0 && l.rate < 1, FormatError, () =>
          bad(`${field}.rate`, 'a number in [0, 1)', l.rate),
        );
        break;
      default:
        throw new FormatError(bad(`${field}.type`, 'dense, activation or dropout', l.type));
    }
  });
  optional(j, 'task', (v) => typeof v === 'string' && TASKS.includes(v as never), `one of ${TASKS.join(', ')}`, bad);
  optional(j, 'loss', (v) => typeof v === 'string' && resolves(resolveLoss, v), `one of ${LOSSES.join(', ')}`, bad);
  optional(
    j,
    'metrics',
    (v) => Array.isArray(v) && v.every((m) => typeof m === 'string' && METRICS.includes(m as never)),
    `an array of ${METRICS.join(', ')}`,
    bad,
  );
  optional(j, 'huberDelta', (v) => finite(v) && v > 0, 'a number > 0', bad);
  optional(
    j,
    'labels',
    (v) => Array.isArray(v) && v.every((l) => typeof l === 'string' || finite(l)),
    'an array of strings or finite numbers',
    bad,
  );
  optional(j, 'featureNames', isStringArray, 'an array of strings', bad);
  optional(j, 'targetNames', isStringArray, 'an array of strings', bad);
  // A name or label listed twice maps two units or columns to one: data would be read or reported wrongly.
  for (const field of ['labels', 'featureNames', 'targetNames']) {
    const list = j[field];
    if (!Array.isArray(list)) continue;
    const twice = list.find((v, i) => list.indexOf(v) !== i);
    check(
      twice === undefined,
      FormatError,
      () => `${src}: ${file}: ${field} lists ${show(twice)} twice; entries must be distinct`,
    );
  }
  optional(j, 'training', isObject, 'an object', bad);
  optional(
    j,
    'scaler',
    (v) => isObject(v) && (v.type === 'standard' || v.type === 'minmax'),
    "an object of type 'standard' or 'minmax'",
    bad,
  );
  const scaler = j.scaler;
  if (isObject(scaler)) {
    for (const k of scaler.type === 'standard' ? ['mean', 'scale'] : ['min', 'max']) {
      check(Array.isArray(scaler[k]) && scaler[k].every(finite), FormatError, () =>
        bad(`scaler.${k}`, 'an array of finite numbers', scaler[k]),
      );
    }
  }
}

/**
 * Each dense layer's weight [out, in] and bias [out] must be in `tensors` with those shapes (named as
 * Network names them, layers.{k}.weight for the k-th dense layer): the network is allocated from
 * model.json before its parameters are filled, and a model.json claiming a 10⁹ × 10⁹ layer must
 * not allocate what the weights file does not hold.
 */
export function checkDenseShapes(layers: readonly LayerConfig[], tensors: Record<string, Tensor>, src: string): void {
  let k = 0;
  for (const l of layers) {
    if (l.type !== 'dense') continue;
    for (const [name, shape] of [
      [`layers.${k}.weight`, [l.outFeatures, l.inFeatures]],
      [`layers.${k}.bias`, [l.outFeatures]],
    ] as const) {
      const t = Object.hasOwn(tensors, name) ? tensors[name] : undefined;
      check(t !== undefined, FormatError, () => `${src}: weights file lacks tensor '${name}'`);
      check(
        t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]),
        FormatError,
        () =>
          `${src}: tensor '${name}' has shape ${formatShape(t.shape)}, the architecture needs ${formatShape(shape)}`,
      );
    }
    k++;
  }
}

/** `make()`, with any of the project's errors turned into a FormatError naming `field` of `file`. */
export function fromField<T>(src: string, file: string, field: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof BackpropError && !(e instanceof FormatError && e.message.startsWith(`${src}: `)))
      throw new FormatError(`${src}: ${file}: ${field}: ${e.message}`);
    throw e;
  }
}

/** Throws a FormatError naming the tensor and the index of its first NaN or ±Infinity. */
export function checkFiniteWeights(name: string, t: Tensor, src: string): void {
  const data = t.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0)
      throw new FormatError(`${src}: weights file: tensor '${name}' holds ${v} at index ${i}; weights must be finite`);
  }
}

function optional(
  j: Record<string, unknown>,
  field: string,
  ok: (v: unknown) => boolean,
  expected: string,
  bad: (f: string, e: string, v: unknown) => string,
): void {
  const v = j[field];
  check(v === undefined || v === null || ok(v), FormatError, () => bad(field, `${expected} or null`, v));
}

/** True when `resolve` accepts `name` (the library's own alias rules, without its ConfigError). */
function resolves(resolve: (name: string) => unknown, name: string): boolean {
  try {
    resolve(name);
    return true;
  } catch {
    return false;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): boolean {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A short JSON rendering of a bad value for messages. */
function show(v: unknown): string {
  const s = v === undefined ? 'nothing' : (JSON.stringify(v) ?? String(v));
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
