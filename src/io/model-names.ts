// The names of a model directory's files and how to tell a backprop model.json from other JSON.

/** model.json's `format`: marks a backprop model. */
export const MODEL_FORMAT = 'backprop-model';
/** model.json's `formatVersion` written and read by this version; loadModel refuses others. */
export const MODEL_FORMAT_VERSION = 1;
/** The model directory's description file. */
export const MODEL_FILE = 'model.json';
/** The model directory's weights file (safetensors, tensors `layers.{i}.weight` / `layers.{i}.bias`). */
export const WEIGHTS_FILE = 'weights.safetensors';
/** The files a save writes; nothing else in a model directory is ever replaced or removed. */
export const MODEL_FILES: readonly string[] = [MODEL_FILE, WEIGHTS_FILE];

/** The parsed object when `text` is a backprop model.json, else null. */
export function parseModelJson(text: string): Record<string, unknown> | null {
  try {
    const j: unknown = JSON.parse(text);
    return typeof j === 'object' && j !== null && (j as { format?: unknown }).format === MODEL_FORMAT
      ? (j as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The SHA-256 (hex) of the weights a model.json was saved with, or null (older or hand-written files). */
export function weightsHashOf(json: Record<string, unknown> | null): string | null {
  const h = json?.weightsSha256;
  return typeof h === 'string' ? h : null;
}
