// Standalone SVG plot files of a history.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePlots } from '../../src/report/plot.js';
import { countRole, HISTORY } from './history-fixture.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('writePlots', () => {
  it('writes loss.svg and one file per metric as standalone SVG', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'backprop-plots-')), 'plots');
    dirs.push(dir);
    const paths = await writePlots(dir, HISTORY);
    expect(paths).toEqual([join(dir, 'loss.svg'), join(dir, 'accuracy.svg')]);
    expect((await readdir(dir)).sort()).toEqual(['accuracy.svg', 'loss.svg']);
    for (const path of paths) {
      const text = await readFile(path, 'utf8');
      expect(text).toMatch(
        /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!-- written by backprop -->\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
      );
      expect(text.trimEnd().endsWith('</svg>')).toBe(true);
      expect(countRole(text, 'point')).toBe(6);
    }
  });

  it('makes metric names safe as file names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backprop-plots-'));
    dirs.push(dir);
    const paths = await writePlots(dir, [{ epoch: 1, loss: 1, seconds: 1, lr: 0.1, 'top/5': 0.5 }]);
    expect(paths.map((p) => p.slice(dir.length + 1))).toEqual(['loss.svg', 'top_5.svg']);
  });
});
