// Crash safety of a model save: a save stopped after each of its steps (in process, and by a real
// SIGKILL of a child process) leaves the old model or the new one loadable, and the next save or
// load copes with what it left. Files of the directory that are not the model's are never touched.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileError, type Sequential } from '../../src/index.js';
import { loadModel, modelJson, modelWeights, saveModel } from '../../src/io/model-dir.js';
import {
  prepareModelOut,
  recoverModelDir,
  SAVE_STEPS,
  type SaveStep,
  writeModelFiles,
} from '../../src/io/model-store.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import { seededModel } from './seeded-model.js';

const ROOT = path.join(import.meta.dirname, '..', '..');
const CHILD = path.join(import.meta.dirname, 'save-child.ts');
const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'backprop-save-'));

const seeded = seededModel;
const weightsOf = (m: Sequential): number[] => m.parameters().flatMap((p) => Array.from(p.value.data));

/** Which seeded model `dir` loads as; its model.json and its weights must tell the same seed. */
async function loadedSeed(dir: string): Promise<number> {
  const loaded = await loadModel(dir);
  const w = JSON.stringify(weightsOf(loaded));
  const match = [1, 2, 3].filter((s) => JSON.stringify(weightsOf(seeded(s))) === w);
  expect(match).toHaveLength(1);
  expect(loaded.trainingConfig.seed).toBe(match[0]);
  expect(loaded.labels).toEqual([`a${match[0]}`, `b${match[0]}`, `c${match[0]}`]);
  return match[0]!;
}

/** A model directory holding seeded model 1 and a file of the user's. */
async function modelDirWithNotes(): Promise<string> {
  const dir = path.join(tmp(), 'model');
  await saveModel(seeded(1), dir);
  writeFileSync(path.join(dir, 'notes.txt'), 'mine\n');
  return dir;
}

/** Starts writeModelFiles of seeded model `seed` and resolves once it stands after `step` (it never finishes). */
async function stoppedSave(dir: string, seed: number, step: SaveStep): Promise<void> {
  await prepareModelOut(dir);
  const m = seeded(seed);
  await new Promise<void>((reached, failed) => {
    writeModelFiles(dir, modelJson(m), encodeSafetensors(modelWeights(m), { format: 'pt' }), {
      onStep: (s) => (s === step ? (reached(), new Promise(() => undefined)) : undefined),
    }).catch(failed);
  });
}

/** Runs save-child.ts to save seeded model `seed` into `dir` and SIGKILLs it right after `step`. */
function killedSave(dir: string, seed: number, step: SaveStep): Promise<void> {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(seed), step], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes(`stopped after ${step}`)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (b: Buffer) => void (err += b.toString()));
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? done() : failed(new Error(`child exited ${code}: ${out}${err}`)),
    );
  });
}

/** A process id that no longer runs. */
function deadPid(): number {
  return Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout,
  );
}

const NEW_FROM: SaveStep = 'weights renamed';
const expectedAfter = (step: SaveStep): number => (SAVE_STEPS.indexOf(step) >= SAVE_STEPS.indexOf(NEW_FROM) ? 2 : 1);

describe('a save killed after each step (SIGKILL of a child process)', () => {
  for (const step of SAVE_STEPS) {
    it(`after "${step}": the ${expectedAfter(step) === 1 ? 'old' : 'new'} model loads, the next save completes and cleans up`, async () => {
      const dir = await modelDirWithNotes();
      await killedSave(dir, 2, step);
      expect(await loadedSeed(dir)).toBe(expectedAfter(step));
      // The next save (here its preparation) finishes an interrupted commit and removes the dead process's temporary files.
      await prepareModelOut(dir);
      expect(readdirSync(dir).sort()).toEqual(['model.json', 'notes.txt', 'weights.safetensors']);
      expect(await loadedSeed(dir)).toBe(expectedAfter(step));
      await saveModel(seeded(3), dir);
      expect(await loadedSeed(dir)).toBe(3);
      expect(readdirSync(dir).sort()).toEqual(['model.json', 'notes.txt', 'weights.safetensors']);
      expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
    }, 60_000);
  }

  it('a first save killed between its renames leaves the new model loadable', async () => {
    const dir = path.join(tmp(), 'fresh');
    await killedSave(dir, 2, 'weights renamed');
    expect(readdirSync(dir)).not.toContain('model.json');
    expect(await loadedSeed(dir)).toBe(2);
    expect(await recoverModelDir(dir)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.safetensors']);
  }, 60_000);
});

/** The temporary files a save has after each step. */
const STAGED_AFTER: Record<SaveStep, string[]> = {
  'weights written': ['.weights.safetensors'],
  'model.json written': ['.model.json', '.weights.safetensors'],
  'weights renamed': ['.model.json'],
  'model.json renamed': [],
};

describe('a save in progress (stopped in process)', () => {
  for (const step of SAVE_STEPS) {
    it(`after "${step}": a reader loads the ${expectedAfter(step) === 1 ? 'old' : 'new'} model, and the save's own temporary files stay`, async () => {
      const dir = await modelDirWithNotes();
      await stoppedSave(dir, 2, step);
      expect(await loadedSeed(dir)).toBe(expectedAfter(step));
      // The writer still runs (this process): a second save must neither complete nor delete its files.
      expect(await recoverModelDir(dir)).toBe(false);
      const temps = readdirSync(dir)
        .filter((n) => n.endsWith('.tmp'))
        .map((n) => n.replace(/\.\d+-[0-9a-f]{8}\.tmp$/, ''));
      expect(temps.sort()).toEqual(STAGED_AFTER[step]);
    });
  }

  it('a first save, before its model.json is in place, is not a model yet', async () => {
    const dir = path.join(tmp(), 'fresh');
    await stoppedSave(dir, 2, 'model.json written');
    await expect(loadModel(dir)).rejects.toThrow(/model directory '.*fresh' has no model\.json/);
  });

  it('a failed step (disk full) keeps the old model and removes the temporary files', async () => {
    const dir = await modelDirWithNotes();
    const m = seeded(2);
    const full = (s: SaveStep): void => {
      if (s === 'model.json written') throw Object.assign(new Error('write failed'), { code: 'ENOSPC' });
    };
    const save = writeModelFiles(dir, modelJson(m), encodeSafetensors(modelWeights(m), { format: 'pt' }), {
      onStep: full,
    });
    await expect(save).rejects.toThrow(FileError);
    await expect(save).rejects.toThrow(/^cannot save the model to '.*model': no space left on the device$/);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'notes.txt', 'weights.safetensors']);
    expect(await loadedSeed(dir)).toBe(1);
  });

  it('a failure after the weights are in place keeps the staged model.json, so the new model loads', async () => {
    const dir = await modelDirWithNotes();
    const m = seeded(2);
    const save = writeModelFiles(dir, modelJson(m), encodeSafetensors(modelWeights(m), { format: 'pt' }), {
      onStep: (s) => {
        if (s === 'weights renamed') throw Object.assign(new Error('rename failed'), { code: 'EIO' });
      },
    });
    await expect(save).rejects.toThrow(/cannot save the model to '.*': input\/output error/);
    expect(await loadedSeed(dir)).toBe(2);
  });
});

describe('leftovers', () => {
  it('removes temporary files of processes that no longer run, keeps those of running ones', async () => {
    const dir = await modelDirWithNotes();
    const stale = [`.model.json.${deadPid()}-0123abcd.tmp`, `.weights.safetensors.${deadPid()}-89abcdef.tmp`];
    const live = `.weights.safetensors.${process.pid}-00000000.tmp`;
    for (const n of [...stale, live]) writeFileSync(path.join(dir, n), 'partial');
    await saveModel(seeded(2), dir);
    expect(readdirSync(dir).sort()).toEqual([live, 'model.json', 'notes.txt', 'weights.safetensors']);
    expect(await loadedSeed(dir)).toBe(2);
  });

  it('a torn model.json under a temporary name is ignored by readers', async () => {
    const dir = await modelDirWithNotes();
    writeFileSync(path.join(dir, `.model.json.${deadPid()}-0123abcd.tmp`), '{"format": "backprop-mo');
    expect(await loadedSeed(dir)).toBe(1);
  });

  it('weights replaced by hand (no staged model.json) load with the committed model.json', async () => {
    const dir = await modelDirWithNotes();
    const other = path.join(tmp(), 'other');
    await saveModel(seeded(2), other);
    writeFileSync(path.join(dir, 'weights.safetensors'), readFileSync(path.join(other, 'weights.safetensors')));
    const loaded = await loadModel(dir);
    expect(weightsOf(loaded)).toEqual(weightsOf(seeded(2)));
    expect(loaded.trainingConfig.seed).toBe(1);
  });

  it('puts back a model that an interrupted save of backprop 0.1 left in .NAME.PID.HEX.old', async () => {
    const parent = tmp();
    const pid = deadPid();
    const aside = path.join(parent, `.model.${pid}.0123abcd.old`);
    await saveModel(seeded(1), aside);
    mkdirSync(path.join(parent, `.model.${pid}.89abcdef.tmp`));
    writeFileSync(path.join(parent, `.model.${pid}.89abcdef.tmp`, 'model.json'), '{"format": "back');
    mkdirSync(path.join(parent, `.model.${pid}.fedcba98.tmp`));
    writeFileSync(path.join(parent, `.model.${pid}.fedcba98.tmp`, 'notes.txt'), 'not a model file');
    const dir = path.join(parent, 'model');
    await expect(loadModel(dir)).rejects.toThrow(
      /model directory '.*model' does not exist \(an interrupted save left the previous model in '.*\.model\.\d+\.0123abcd\.old': rename it to '.*model' to use it\)/,
    );
    await prepareModelOut(dir);
    expect(await loadedSeed(dir)).toBe(1);
    // The stale .tmp holding only model files is removed; one holding anything else is left alone.
    expect(readdirSync(parent).sort()).toEqual([`.model.${pid}.fedcba98.tmp`, 'model']);
    // A swap that completed but died before removing the model it replaced: the aside copy goes.
    await saveModel(seeded(2), aside);
    await prepareModelOut(dir);
    expect(readdirSync(parent).sort()).toEqual([`.model.${pid}.fedcba98.tmp`, 'model']);
    expect(await loadedSeed(dir)).toBe(1);
  });
});
