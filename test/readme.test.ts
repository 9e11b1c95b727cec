// Every `npx backprop …` command of README.md runs, in README order, in a scratch directory holding
// the repository's data/ (training runs capped at one epoch; the rest as written). A command that
// needs Fashion-MNIST is skipped, with the reason, where the data set is not installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEBIAN_FASHION_MNIST_DIR } from '../src/data/image-datasets.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'src/cli/main.ts');
// The scratch directory has no node_modules: name tsx's loader by its full path.
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The `npx backprop` commands of the README's shell blocks, continuation lines joined, comments cut. */
export function readmeCommands(markdown: string): string[][] {
  const blocks = [...markdown.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const commands: string[][] = [];
  for (const block of blocks) {
    const joined = block.replace(/\\\n\s*/g, ' ');
    for (const raw of joined.split('\n')) {
      const line = raw.replace(/\s+#.*$/, '').trim();
      for (const part of line.split(/\s*&&\s*/)) {
        const words = part.split(/\s+/).filter(Boolean);
        if (words[0] === 'npx' && words[1] === 'backprop') commands.push(words.slice(2));
      }
    }
  }
  return commands;
}

const commands = readmeCommands(README);
const work = mkdtempSync(path.join(tmpdir(), 'backprop-readme-'));
symlinkSync(path.join(ROOT, 'data'), path.join(work, 'data'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const hasFashion = existsSync(path.join(DEBIAN_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'));

describe('README commands', () => {
  it('lists the commands this test runs', () => {
    expect(commands.length).toBeGreaterThanOrEqual(6);
    expect(commands.map((c) => c[0])).toEqual(expect.arrayContaining(['train', 'eval', 'predict', 'gradcheck', 'summary']));
  });

  for (const args of commands) {
    const shown = `backprop ${args.join(' ')}`;
    it(shown, (ctx) => {
      if (args.includes('fashion-mnist') && !hasFashion) ctx.skip(`Fashion-MNIST is not installed in ${DEBIAN_FASHION_MNIST_DIR}`);
      if (args[0] === 'data' && args[1] === 'fetch') ctx.skip('downloads need the network');
      // Training as written, but for one epoch (a later --epochs wins).
      const argv = args[0] === 'train' ? [...args, '--epochs', '1'] : args;
      const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', TSX, CLI, ...argv], {
        cwd: work, encoding: 'utf8', timeout: 240_000,
      });
      expect(r.status, `${shown}\n${r.stderr}`).toBe(0);
      expect(r.stderr).not.toMatch(/^error:/m);
    }, 300_000);
  }
});
