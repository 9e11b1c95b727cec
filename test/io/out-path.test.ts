// The output rules: what a model save, a file output and a report directory may replace, and the
// messages for what they refuse. Whatever is refused is left byte for byte as it was.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileError, Sequential } from '../../src/index.js';
import { loadModel, saveModel } from '../../src/io/model-dir.js';
import { checkModelOut } from '../../src/io/model-store.js';
import {
  checkDirOut,
  checkFileOut,
  GENERATED_MARK,
  makeDirs,
  prepareDirOut,
  writeFileOut,
} from '../../src/io/out-path.js';

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'backprop-out-'));
const model = (): Sequential => Sequential.mlp({ inputs: 2, hidden: [3], outputs: 2, task: 'classification', seed: 1 });
const CSV = 'x,y\n1,2\n';
const REPORT = { what: 'the report', files: ['report.html'] };

/** A directory holding the user's data.csv (and what `more` adds). */
function userDir(more: Record<string, string> = {}): string {
  const dir = path.join(tmp(), 'd');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'data.csv'), CSV);
  for (const [name, text] of Object.entries(more)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** The names and contents under `dir`, to show that a refused call changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    out[name] = lstatSync(p).isFile() ? readFileSync(p, 'latin1') : lstatSync(p).isSymbolicLink() ? 'link' : 'dir';
  }
  return out;
}

/** Rejects with a FileError whose message matches `message`. */
async function expectRefused(p: Promise<unknown>, message: RegExp): Promise<void> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FileError);
  expect((e as Error).message).toMatch(message);
}

describe('model directory outputs', () => {
  it('refuse a non-empty directory without a model, naming what is there, and change nothing', async () => {
    const dir = userDir({ 'notes.txt': 'n' });
    const before = snapshot(dir);
    const refused =
      /^refusing to write the model to '.*d': the directory is not empty and holds nothing backprop wrote \(data\.csv, notes\.txt\); --overwrite adds model\.json and weights\.safetensors to it and leaves the other files alone$/;
    await expectRefused(checkModelOut(dir), refused);
    await expectRefused(saveModel(model(), dir), refused);
    expect(snapshot(dir)).toEqual(before);
  });

  it('with overwrite, add the model files and leave the other files alone', async () => {
    const dir = userDir();
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'sub', 'keep.txt'), 'k');
    await saveModel(model(), dir, { overwrite: true });
    expect(readdirSync(dir).sort()).toEqual(['data.csv', 'model.json', 'sub', 'weights.safetensors']);
    expect(readFileSync(path.join(dir, 'data.csv'), 'utf8')).toBe(CSV);
    expect(readFileSync(path.join(dir, 'sub', 'keep.txt'), 'utf8')).toBe('k');
    // Now it holds a model: saving again needs no overwrite, and still touches only the model files.
    await saveModel(model(), dir);
    expect(readdirSync(dir).sort()).toEqual(['data.csv', 'model.json', 'sub', 'weights.safetensors']);
    await loadModel(dir);
  });

  it('accept a new path (creating its parents), an empty directory and a directory of a report of ours', async () => {
    const parent = tmp();
    await saveModel(model(), path.join(parent, 'a', 'b', 'm'));
    mkdirSync(path.join(parent, 'empty'));
    await saveModel(model(), path.join(parent, 'empty'));
    mkdirSync(path.join(parent, 'report'));
    writeFileSync(path.join(parent, 'report', 'report.html'), `<!DOCTYPE html>\n${GENERATED_MARK}\n<html></html>`);
    await saveModel(model(), path.join(parent, 'report'));
    expect(readdirSync(path.join(parent, 'report')).sort()).toEqual([
      'model.json',
      'report.html',
      'weights.safetensors',
    ]);
  });

  it("refuse to replace a model.json that is not backprop's, unless overwrite", async () => {
    const dir = path.join(tmp(), 'm');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'report.html'), `<!DOCTYPE html>\n${GENERATED_MARK}\n`);
    writeFileSync(path.join(dir, 'model.json'), '{"format": "layers-model"}');
    await expectRefused(
      saveModel(model(), dir),
      /^refusing to replace '.*m\/model\.json': backprop did not write it \(--overwrite replaces it\)$/,
    );
    expect(readFileSync(path.join(dir, 'model.json'), 'utf8')).toBe('{"format": "layers-model"}');
    await saveModel(model(), dir, { overwrite: true });
    await loadModel(dir);
  });

  it('refuse a file, even with overwrite', async () => {
    const dir = userDir();
    const file = path.join(dir, 'data.csv');
    for (const overwrite of [false, true]) {
      await expectRefused(
        saveModel(model(), file, { overwrite }),
        /^cannot write the model to '.*data\.csv': it is a file, not a directory$/,
      );
    }
    expect(readFileSync(file, 'utf8')).toBe(CSV);
  });

  it('refuse a symbolic link, even to a model directory and with overwrite, and leave its target alone', async () => {
    const parent = tmp();
    const real = path.join(parent, 'real');
    await saveModel(model(), real);
    const before = snapshot(real);
    symlinkSync(real, path.join(parent, 'link'));
    for (const overwrite of [false, true]) {
      await expectRefused(
        saveModel(model(), path.join(parent, 'link'), { overwrite }),
        /^refusing to write the model to '.*link': it is a symbolic link \(to '.*real'\); backprop does not write through links, give the path it points to$/,
      );
    }
    expect(snapshot(real)).toEqual(before);
    expect(lstatSync(path.join(parent, 'link')).isSymbolicLink()).toBe(true);
  });

  it('refuse a model file that is a link or a directory', async () => {
    const dir = path.join(tmp(), 'm');
    await saveModel(model(), dir);
    const elsewhere = path.join(tmp(), 'w.safetensors');
    writeFileSync(elsewhere, 'theirs');
    const weights = path.join(dir, 'weights.safetensors');
    rmSync(weights);
    symlinkSync(elsewhere, weights);
    await expectRefused(
      saveModel(model(), dir, { overwrite: true }),
      /^refusing to write the model to '.*m': '.*m\/weights\.safetensors' is a symbolic link \(to '.*w\.safetensors'\); backprop replaces only regular files$/,
    );
    expect(readFileSync(elsewhere, 'utf8')).toBe('theirs');
  });

  it('a path through a file, and one that cannot be created (/proc), fail at once with the path named', async (ctx) => {
    const dir = userDir();
    await expectRefused(
      saveModel(model(), path.join(dir, 'data.csv', 'm')),
      /^cannot create directory '.*data\.csv\/m': '.*data\.csv' is a file$/,
    );
    await expectRefused(checkModelOut(path.join(dir, 'data.csv', 'm')), /is a file$/);
    if (!existsSync('/proc/self')) ctx.skip('no /proc on this system');
    // Node's recursive mkdir loops forever here; ours must fail.
    const timeout = new Promise((_, fail) => setTimeout(() => fail(new Error('hung')), 5000));
    await expectRefused(
      Promise.race([saveModel(model(), '/proc/nope/x'), timeout]),
      /^cannot create directory '\/proc\/nope' \(for '\/proc\/nope\/x'\): no such file or directory$/,
    );
    await expectRefused(
      Promise.race([checkModelOut('/proc/nope/x'), timeout]),
      /^cannot create directory '\/proc\/nope'/,
    );
  });

  it('checkModelOut writes nothing, not even the directories it proves it can create', async () => {
    const parent = tmp();
    await checkModelOut(path.join(parent, 'a', 'b', 'c'));
    expect(readdirSync(parent)).toEqual([]);
  });

  it("'DIR/.' is the directory itself: refused when it holds other files, written in place when it is a model directory", async () => {
    const dir = userDir();
    await expectRefused(
      saveModel(model(), path.join(dir, '.')),
      /^refusing to write the model to '.*d': the directory is not empty/,
    );
    const m = path.join(tmp(), 'm');
    await saveModel(model(), m);
    await saveModel(model(), `${m}/.`);
    expect(readdirSync(m).sort()).toEqual(['model.json', 'weights.safetensors']);
  });
});

describe('file outputs', () => {
  it('refuse a directory, naming a file to use instead', async () => {
    const dir = userDir();
    await expectRefused(
      writeFileOut(dir, 'a\n', { what: 'the predictions', name: 'predictions.csv' }),
      /^cannot write the predictions to '.*d': it is a directory; give a file path such as '.*d\/predictions\.csv'$/,
    );
    expect(snapshot(dir)).toEqual({ 'data.csv': CSV });
    await expectRefused(
      writeFileOut(path.join(dir, 'new') + '/', 'a\n', { what: 'the predictions', name: 'predictions.csv' }),
      /^cannot write the predictions to '.*d\/new\/': the path ends with a slash, which names a directory; give a file path such as '.*d\/new\/predictions\.csv'$/,
    );
    expect(snapshot(dir)).toEqual({ 'data.csv': CSV });
  });

  it('refuse to replace a non-empty file unless overwrite; an empty file is replaced', async () => {
    const dir = userDir();
    const file = path.join(dir, 'data.csv');
    await expectRefused(
      checkFileOut(file),
      /^refusing to replace '.*data\.csv': the file exists \(--overwrite replaces it\)$/,
    );
    await expectRefused(writeFileOut(file, 'new\n'), /the file exists/);
    expect(readFileSync(file, 'utf8')).toBe(CSV);
    await writeFileOut(file, 'new\n', { overwrite: true });
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    writeFileSync(path.join(dir, 'empty.csv'), '');
    await writeFileOut(path.join(dir, 'empty.csv'), 'x\n');
    expect(readdirSync(dir).sort()).toEqual(['data.csv', 'empty.csv']);
  });

  it('refuse links and devices, even with overwrite', async () => {
    const dir = userDir();
    symlinkSync(path.join(dir, 'data.csv'), path.join(dir, 'link.csv'));
    await expectRefused(
      writeFileOut(path.join(dir, 'link.csv'), 'x', { overwrite: true }),
      /^refusing to write the output to '.*link\.csv': it is a symbolic link \(to '.*data\.csv'\)/,
    );
    expect(readFileSync(path.join(dir, 'data.csv'), 'utf8')).toBe(CSV);
    if (existsSync('/dev/null'))
      await expectRefused(
        checkFileOut('/dev/null', { overwrite: true }),
        /^cannot write the output to '\/dev\/null': it is a device, pipe or socket, not a regular file$/,
      );
  });

  it('create missing parent directories; a parent that is a file is named', async () => {
    const dir = userDir();
    await writeFileOut(path.join(dir, 'out', 'p.csv'), 'a\n');
    expect(readFileSync(path.join(dir, 'out', 'p.csv'), 'utf8')).toBe('a\n');
    expect(readdirSync(path.join(dir, 'out'))).toEqual(['p.csv']);
    await expectRefused(
      writeFileOut(path.join(dir, 'data.csv', 'p.csv'), 'a\n'),
      /^cannot create directory '.*d\/data\.csv': '.*data\.csv' is a file$/,
    );
  });
});

describe('report directory outputs', () => {
  it('refuse a directory of other files, unless overwrite; then only the report file is added', async () => {
    const dir = userDir();
    await expectRefused(
      checkDirOut(dir, REPORT),
      /^refusing to write the report to '.*d': the directory is not empty and holds nothing backprop wrote \(data\.csv\); --overwrite adds report\.html to it/,
    );
    await prepareDirOut(dir, REPORT, { overwrite: true });
    expect(snapshot(dir)).toEqual({ 'data.csv': CSV });
  });

  it('accept an earlier report of ours (with files of the user beside it) and a model directory', async () => {
    const dir = userDir({ 'report.html': `<!DOCTYPE html>\n${GENERATED_MARK}\n<html></html>` });
    await prepareDirOut(dir, REPORT);
    const m = path.join(tmp(), 'm');
    await saveModel(model(), m);
    await checkDirOut(m, REPORT);
  });

  it('refuse a report.html that backprop did not write, or that is a directory', async () => {
    const dir = userDir({
      'loss.svg': `<?xml version="1.0"?>\n${GENERATED_MARK}\n<svg/>`,
      'report.html': '<html>mine</html>',
    });
    await expectRefused(
      checkDirOut(dir, REPORT),
      /^refusing to replace '.*d\/report\.html': backprop did not write it \(--overwrite replaces it\)$/,
    );
    await checkDirOut(dir, REPORT, { overwrite: true });
    const d2 = userDir({ 'loss.svg': `<?xml version="1.0"?>\n${GENERATED_MARK}\n<svg/>` });
    mkdirSync(path.join(d2, 'report.html'));
    await expectRefused(
      checkDirOut(d2, REPORT, { overwrite: true }),
      /^cannot write the report to '.*d': '.*d\/report\.html' is a directory$/,
    );
  });
});

describe('makeDirs', () => {
  it('creates each missing level and reports them, outermost first', async () => {
    const parent = tmp();
    const created = await makeDirs(path.join(parent, 'a', 'b'));
    expect(created).toEqual([path.join(parent, 'a'), path.join(parent, 'a', 'b')]);
    expect(await makeDirs(path.join(parent, 'a', 'b'))).toEqual([]);
  });

  it('goes through a link to a directory in a parent', async () => {
    const parent = tmp();
    mkdirSync(path.join(parent, 'real'));
    symlinkSync(path.join(parent, 'real'), path.join(parent, 'link'));
    await makeDirs(path.join(parent, 'link', 'x'));
    expect(readdirSync(path.join(parent, 'real'))).toEqual(['x']);
  });
});
