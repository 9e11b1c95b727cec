// How a model directory is written and read so that no crash loses a model. A save writes the
// weights and model.json under temporary names (flushed to disk), renames the weights over
// weights.safetensors, then model.json over model.json: that last rename commits the new model.
// model.json records the SHA-256 of its weights, so if the process dies between the two renames, a
// reader (and the next save) finds the new model.json under its temporary name by the hash of the
// weights in place. Nothing but model.json, weights.safetensors and their temporary files is touched.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FileError, FormatError } from '../core/errors.js';
import { fileError, parseTempName, processAlive, syncDir, tempPath, writeSynced } from './atomic.js';
import { MODEL_FILE, MODEL_FILES, parseModelJson, WEIGHTS_FILE, weightsHashOf } from './model-names.js';
import { checkDirOut, type DirOutSpec, makeDirs, type OutOptions, removeStaleTemps, vetDirOut } from './out-path.js';
import { checkRegularFile } from './regular-file.js';

/** The points between a save's steps, in order (for tests that stop a save there). */
export const SAVE_STEPS = ['weights written', 'model.json written', 'weights renamed', 'model.json renamed'] as const;
export type SaveStep = (typeof SAVE_STEPS)[number];

const MODEL_OUT: DirOutSpec = { what: 'the model', files: MODEL_FILES };

/**
 * Checks, writing nothing, that a model may be saved to `dir`: a new path, an empty directory or a
 * model directory (model.json of backprop), or with `overwrite` any directory (its other files are
 * left alone). Files, symbolic links and directories holding a model.json not written by backprop
 * (without `overwrite`) are refused with a FileError naming the path.
 *
 * @example
 * await checkModelOut('models/iris'); // before an hour of training, not after
 */
export async function checkModelOut(dir: string, options: OutOptions = {}): Promise<void> {
  await checkDirOut(dir, MODEL_OUT, options);
}

/**
 * Vets `dir` as checkModelOut does and makes it ready for writeModelFiles: creates it when missing,
 * completes a save that was interrupted between its renames, recovers a model left aside by an
 * interrupted save of backprop 0.1 (`.NAME.PID.HEX.old`), and removes stale temporary files.
 */
export async function prepareModelOut(dir: string, options: OutOptions = {}): Promise<void> {
  await recoverLegacySave(dir);
  if ((await vetDirOut(dir, MODEL_OUT, options)) === 'missing') await makeDirs(dir);
  await recoverModelDir(dir);
  await removeStaleTemps(dir, MODEL_FILES);
}

/** The text of model.json for `json` and its weights: `weightsSha256` added, two-space indents, a final newline. */
export function modelJsonText(json: object, weights: Uint8Array): string {
  return JSON.stringify({ ...json, weightsSha256: sha256(weights) }, null, 2) + '\n';
}

/**
 * Writes model.json (the object `json`, with `weightsSha256` added) and weights.safetensors into
 * the prepared directory `dir` so that a crash at any point leaves the old model or the new one
 * loadable. `onStep` runs after each step (tests stop a save there).
 */
export async function writeModelFiles(
  dir: string,
  json: object,
  weights: Uint8Array,
  options: { onStep?: (step: SaveStep) => unknown } = {},
): Promise<void> {
  const text = modelJsonText(json, weights);
  const weightsPath = path.join(dir, WEIGHTS_FILE);
  const jsonPath = path.join(dir, MODEL_FILE);
  const weightsTmp = tempPath(weightsPath);
  const jsonTmp = tempPath(jsonPath);
  let weightsRenamed = false;
  try {
    await writeSynced(weightsTmp, weights);
    await options.onStep?.('weights written');
    await writeSynced(jsonTmp, text);
    await syncDir(dir);
    await options.onStep?.('model.json written');
    await fs.rename(weightsTmp, weightsPath);
    weightsRenamed = true;
    await options.onStep?.('weights renamed');
    await fs.rename(jsonTmp, jsonPath);
    await syncDir(dir);
    await options.onStep?.('model.json renamed');
  } catch (e) {
    // Once the new weights are in place, the staged model.json is what makes them loadable: it stays.
    await fs.rm(weightsTmp, { force: true }).catch(() => undefined);
    if (!weightsRenamed) await fs.rm(jsonTmp, { force: true }).catch(() => undefined);
    throw fileError(`cannot save the model to '${dir}'`, e);
  }
}

/**
 * The model.json text and weights of the model in `dir`, as the last completed save left them
 * (see the top of this file). FormatErrors name what is missing.
 */
export async function readModelFiles(
  dir: string,
): Promise<{ json: string; jsonPath: string; weights: Uint8Array; weightsPath: string }> {
  const stat = await fs.stat(dir).catch(() => null);
  if (stat === null || !stat.isDirectory())
    throw new FormatError(`model directory '${dir}' does not exist${await legacyHint(dir)}`);
  const entries = await fs.readdir(dir).catch((e: unknown) => {
    throw fileError(`cannot read model directory '${dir}'`, e);
  });
  const weightsPath = path.join(dir, WEIGHTS_FILE);
  const weights = entries.includes(WEIGHTS_FILE) ? await readRegularModelFile(weightsPath) : null;
  const current = await currentModelJson(dir, entries, weights);
  if (current === null) throw new FormatError(`model directory '${dir}' has no ${MODEL_FILE}`);
  if (weights === null) throw new FormatError(`model directory '${dir}' has no ${WEIGHTS_FILE}`);
  return {
    json: current.text,
    jsonPath: path.join(dir, MODEL_FILE),
    weights: new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength),
    weightsPath,
  };
}

/** What Node reads into one Buffer. */
const MAX_WEIGHTS_BYTES = 2 ** 31 - 1;
/** model.json holds names and a scaler, not data: a larger one is not ours. */
const MAX_MODEL_JSON_BYTES = 256 * 1024 * 1024;

/** A weights file's bytes; a FIFO, a device or an oversized file is a FormatError, an unreadable one null. */
async function readRegularModelFile(file: string): Promise<Buffer | null> {
  const stat = await fs.stat(file).catch(() => null);
  if (stat === null) return null;
  checkRegularFile(stat, file, MAX_WEIGHTS_BYTES, FormatError);
  return fs.readFile(file).catch(() => null);
}

/**
 * Completes a save that stopped between its two renames (the new weights in place, the new
 * model.json under its temporary name) by renaming that model.json. Resolves to whether it did.
 * Saves of running processes are left to finish.
 */
export async function recoverModelDir(dir: string): Promise<boolean> {
  const entries = await fs.readdir(dir);
  if (!entries.some((e) => parseTempName(e)?.target === MODEL_FILE)) return false;
  const weights = await fs.readFile(path.join(dir, WEIGHTS_FILE)).catch(() => null);
  const current = await currentModelJson(dir, entries, weights);
  if (current === null || current.name === MODEL_FILE || processAlive(parseTempName(current.name)!.pid)) return false;
  await fs.rename(path.join(dir, current.name), path.join(dir, MODEL_FILE)).catch((e: unknown) => {
    throw fileError(`cannot complete the interrupted save in '${dir}'`, e);
  });
  await syncDir(dir);
  return true;
}

/**
 * The model.json that belongs with the weights in place: the committed one, unless it was saved
 * with other weights and a staged one (a save stopped between its renames) was saved with these.
 * A committed file without a hash, or weights written by hand, keep the committed model.json.
 */
async function currentModelJson(
  dir: string,
  entries: string[],
  weights: Uint8Array | null,
): Promise<{ name: string; text: string } | null> {
  if (entries.includes(MODEL_FILE)) {
    // A FIFO, a device or a huge file in place of model.json is refused before reading it.
    const stat = await fs.stat(path.join(dir, MODEL_FILE)).catch(() => null);
    if (stat !== null) checkRegularFile(stat, path.join(dir, MODEL_FILE), MAX_MODEL_JSON_BYTES, FormatError);
  }
  const committed = entries.includes(MODEL_FILE) ? await readText(path.join(dir, MODEL_FILE)) : null;
  const staged = entries.filter((e) => parseTempName(e)?.target === MODEL_FILE);
  const fallback = committed === null ? null : { name: MODEL_FILE, text: committed };
  if (staged.length === 0 || weights === null) return fallback;
  const hash = sha256(weights);
  if (committed !== null && weightsHashOf(parseModelJson(committed)) === hash) return fallback;
  for (const name of staged) {
    const text = await readText(path.join(dir, name));
    if (text !== null && weightsHashOf(parseModelJson(text)) === hash) return { name, text };
  }
  return fallback;
}

/** `.NAME.PID.HEX.old|tmp`: the sibling directories through which backprop 0.1 swapped a model directory. */
function legacySiblings(dir: string, entries: string[]): { name: string; pid: number; kind: 'old' | 'tmp' }[] {
  const base = path.basename(path.resolve(dir));
  const out: { name: string; pid: number; kind: 'old' | 'tmp' }[] = [];
  for (const name of entries) {
    const m = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.(old|tmp)$/.exec(name);
    if (m && m[1] === base) out.push({ name, pid: Number(m[2]), kind: m[3] as 'old' | 'tmp' });
  }
  return out;
}

/**
 * backprop 0.1 moved the old model directory aside to `.NAME.PID.HEX.old` before renaming the new one
 * in; a kill in between left no model at `dir`. Puts such a model back when `dir` is missing (else
 * removes it once `dir` holds a model) and removes that version's stale `.tmp` directories; only
 * directories holding nothing but model files are touched.
 */
async function recoverLegacySave(dir: string): Promise<void> {
  const parent = path.dirname(path.resolve(dir));
  const entries = await fs.readdir(parent).catch(() => null);
  if (entries === null) return;
  for (const s of legacySiblings(dir, entries)) {
    if (processAlive(s.pid)) continue;
    const p = path.join(parent, s.name);
    const inside = await fs.readdir(p).catch(() => null);
    if (inside === null || !inside.every((n) => MODEL_FILES.includes(n))) continue;
    if (s.kind === 'tmp') {
      await fs.rm(p, { recursive: true, force: true });
    } else if ((await fs.lstat(dir).catch(() => null)) === null) {
      if (inside.includes(MODEL_FILE)) await fs.rename(p, path.resolve(dir));
    } else if (await fs.readFile(path.join(dir, MODEL_FILE), 'utf8').then(parseModelJson, () => null)) {
      // The save finished its swap but died before removing the model it replaced.
      await fs.rm(p, { recursive: true, force: true });
    }
  }
}

/** Points a reader of a missing model directory to a model an interrupted save of backprop 0.1 left aside. */
async function legacyHint(dir: string): Promise<string> {
  const entries = await fs.readdir(path.dirname(path.resolve(dir))).catch(() => null);
  const old = entries ? legacySiblings(dir, entries).find((s) => s.kind === 'old') : undefined;
  return old
    ? ` (an interrupted save left the previous model in '${path.join(path.dirname(dir), old.name)}': rename it to '${dir}' to use it)`
    : '';
}

async function readText(file: string): Promise<string | null> {
  const st = await fs.lstat(file).catch(() => null);
  if (st?.isDirectory()) throw new FileError(`'${file}' is a directory`);
  return fs.readFile(file, 'utf8').catch(() => null);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
