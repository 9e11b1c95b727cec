// What a model's inputs are when they are not plain feature columns: model.json's `input` record,
// so that predict converts new image files exactly as the training images were.
import { check, FormatError } from '../core/errors.js';

/** Images of height × width × channels bytes, scaled to [0, 1] and flattened row-major [H·W·C]. */
export interface ImageInput {
  /** `'image'`. */
  kind: 'image';
  /** H in pixels. */
  height: number;
  /** W in pixels. */
  width: number;
  /** C: 1 (grayscale) or 3 (RGB). */
  channels: 1 | 3;
}

/** What a model's inputs are when they are not plain feature columns (model.json's `input`); images only so far. */
export type ModelInput = ImageInput;

/** Validates a parsed `input` record; `src` names the model in the message. */
export function modelInputFromJSON(value: unknown, src: string): ModelInput {
  const v = value as Partial<ImageInput> | null;
  check(
    typeof v === 'object' && v !== null && v.kind === 'image',
    FormatError,
    () => `${src}: input.kind must be 'image', got ${JSON.stringify((v as { kind?: unknown } | null)?.kind)}`,
  );
  const positive = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0;
  check(
    positive(v.height) && positive(v.width) && (v.channels === 1 || v.channels === 3),
    FormatError,
    () => `${src}: input needs positive integer height and width and channels 1 or 3, got ${JSON.stringify(v)}`,
  );
  return { kind: 'image', height: v.height, width: v.width, channels: v.channels };
}

/** Inputs per example of an image input (H·W·C). */
export function inputFeatures(input: ModelInput): number {
  return input.height * input.width * input.channels;
}
