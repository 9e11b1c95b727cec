// The commands never destroy files: --out of train, predict, report and plot is refused, before any
// work, when it would replace what backprop did not write; --overwrite adds our files and leaves
// the others alone.
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, csvFile, scratch } from './helpers.js';

const root = scratch();
const ROWS =
  [
    'x1,x2,cls',
    ...Array.from({ length: 30 }, (_, i) => `${(i % 2) * 4 + (i % 7) / 7},${(i % 5) / 5},${i % 2 ? 'b' : 'a'}`),
  ].join('\n') + '\n';
const model = join(root, 'model');

/** A fresh directory `name` holding wine.csv, like a user's data folder. */
function dataDir(name: string): { dir: string; csv: string } {
  const dir = join(root, name);
  mkdirSync(dir);
  return { dir, csv: csvFile(dir, 'wine.csv', ROWS) };
}

const train = (csv: string, out: string, ...more: string[]): Promise<{ code: number; out: string; err: string }> =>
  cli('train', '--data', csv, '--target', 'cls', '--layers', '4', '--epochs', '2', '--quiet', '--out', out, ...more);

beforeAll(async () => {
  const r = await train(csvFile(root, 'rows.csv', ROWS), model);
  expect(r.code, r.err).toBe(0);
});

describe('train --out', () => {
  it('refuses the directory of the training data at once, leaving it as it was', async () => {
    const { dir, csv } = dataDir('refused');
    const r = await train(csv, dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^error: refusing to write the model to '.*refused': the directory is not empty and holds nothing backprop wrote \(wine\.csv\); --overwrite adds model\.json and weights\.safetensors to it and leaves the other files alone\n$/,
    );
    expect(readdirSync(dir)).toEqual(['wine.csv']);
    expect(readFileSync(csv, 'utf8')).toBe(ROWS);
  });

  it('refuses before training (a report directory too)', async () => {
    const { dir, csv } = dataDir('early');
    // With progress on, a run that trained would have printed its epochs.
    const r = await cli(
      'train',
      '--data',
      csv,
      '--target',
      'cls',
      '--epochs',
      '2',
      '--out',
      join(root, 'early-model'),
      '--report',
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: refusing to write the report to '.*early': the directory is not empty/);
    expect(r.err).not.toMatch(/epoch/);
    expect(readdirSync(root)).not.toContain('early-model');
  });

  it('with --overwrite adds the model and keeps the training data', async () => {
    const { dir, csv } = dataDir('overwrite');
    const r = await train(csv, dir, '--overwrite');
    expect(r.code, r.err).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.safetensors', 'wine.csv']);
    expect(readFileSync(csv, 'utf8')).toBe(ROWS);
    // A model directory now: training into it again needs no --overwrite and keeps the data.
    expect((await train(csv, dir)).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.safetensors', 'wine.csv']);
  });

  it('refuses a file, even with --overwrite', async () => {
    const { csv } = dataDir('file');
    const r = await train(csv, csv, '--overwrite');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: cannot write the model to '.*wine\.csv': it is a file, not a directory\n$/);
    expect(readFileSync(csv, 'utf8')).toBe(ROWS);
  });

  it('refuses a symbolic link to a model directory', async () => {
    const link = join(root, 'model-link');
    symlinkSync(model, link);
    const before = readFileSync(join(model, 'model.json'), 'utf8');
    const r = await train(csvFile(root, 'rows2.csv', ROWS), link, '--overwrite');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^error: refusing to write the model to '.*model-link': it is a symbolic link \(to '.*model'\); backprop does not write through links, give the path it points to\n$/,
    );
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(model, 'model.json'), 'utf8')).toBe(before);
  });

  it('/proc/nope/x and a path through a file fail with the path named', async (ctx) => {
    const { csv } = dataDir('through');
    const r = await train(csv, join(csv, 'm'));
    expect(r.err).toMatch(/^error: cannot create directory '.*wine\.csv\/m': '.*wine\.csv' is a file\n$/);
    if (!lstatSync('/proc', { throwIfNoEntry: false })?.isDirectory()) ctx.skip('no /proc on this system');
    const p = await train(csv, '/proc/nope/x');
    expect(p.code).toBe(1);
    expect(p.err).toBe("error: cannot create directory '/proc/nope' (for '/proc/nope/x'): no such file or directory\n");
  });

  it('--out . in a data folder is refused; in a model directory it saves in place', async () => {
    const { dir, csv } = dataDir('dot');
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      const r = await train(csv, '.');
      expect(r.err).toMatch(
        /^error: refusing to write the model to '\.': the directory is not empty and holds nothing backprop wrote \(wine\.csv\)/,
      );
      process.chdir(model);
      const s = await train(csv, '.');
      expect(s.code, s.err).toBe(0);
      expect(readdirSync(model).sort()).toEqual(['model.json', 'weights.safetensors']);
    } finally {
      process.chdir(cwd);
    }
  });

  it("--report into the model directory itself works (both are backprop's)", async () => {
    const { csv } = dataDir('both');
    const out = join(root, 'both-out');
    const r = await train(csv, out, '--report', out);
    expect(r.code, r.err).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['model.json', 'report.html', 'weights.safetensors']);
  });
});

describe('predict --out', () => {
  it('a directory (or .) is a clear error, not EISDIR with a temporary name', async () => {
    const { dir, csv } = dataDir('pdir');
    const r = await cli('predict', '--model', model, '--data', csv, '--out', dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^error: cannot write the predictions to '.*pdir': it is a directory; give a file path such as '.*pdir\/predictions\.csv'\n$/,
    );
    expect(r.err).not.toMatch(/\.tmp|EISDIR/);
  });

  it('an existing file is replaced only with --overwrite', async () => {
    const { dir, csv } = dataDir('pfile');
    const r = await cli('predict', '--model', model, '--data', csv, '--out', csv);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: refusing to replace '.*wine\.csv': the file exists \(--overwrite replaces it\)\n$/);
    expect(readFileSync(csv, 'utf8')).toBe(ROWS);
    const out = join(dir, 'p.csv');
    expect((await cli('predict', '--model', model, '--data', csv, '--out', out)).code).toBe(0);
    const first = readFileSync(out, 'utf8');
    expect(first).toMatch(/^cls,prob_a,prob_b\n/);
    expect((await cli('predict', '--model', model, '--data', csv, '--out', out)).code).toBe(1);
    expect((await cli('predict', '--model', model, '--data', csv, '--out', out, '--overwrite')).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(first);
    expect(readdirSync(dir).sort()).toEqual(['p.csv', 'wine.csv']);
  });
});

describe('report and plot --out', () => {
  it('refuse a folder of other files; --overwrite adds only their own files; a rerun needs no --overwrite', async () => {
    const { dir, csv } = dataDir('reports');
    for (const argv of [
      ['report', '--model', model, '--data', csv, '--out', dir],
      ['plot', '--model', model, '--out', dir],
    ]) {
      const r = await cli(...argv);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(
        /^error: refusing to write the (report|plots) to '.*reports': the directory is not empty and holds nothing backprop wrote \(wine\.csv\); --overwrite adds (report\.html|loss\.svg and accuracy\.svg) to it/,
      );
    }
    expect(readdirSync(dir)).toEqual(['wine.csv']);
    expect((await cli('report', '--model', model, '--data', csv, '--out', dir, '--overwrite')).code).toBe(0);
    // Now the folder holds a report of ours: the plots (and a second report) go in without --overwrite.
    expect((await cli('plot', '--model', model, '--out', dir)).code).toBe(0);
    expect((await cli('report', '--model', model, '--data', csv, '--out', dir)).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['accuracy.svg', 'loss.svg', 'report.html', 'wine.csv']);
    expect(readFileSync(csv, 'utf8')).toBe(ROWS);
  });
});
