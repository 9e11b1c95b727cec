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

/**
 * The `npx backprop` and `npx tsx scripts/…` commands of the README's shell blocks, in order,
 * continuation lines joined, comments cut (a script command starts with 'tsx').
 */
function readmeCommands(markdown: string): string[][] {
  const blocks = [...markdown.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const commands: string[][] = [];
  for (const block of blocks) {
    const joined = block.replace(/\\\n\s*/g, ' ');
    for (const raw of joined.split('\n')) {
      const line = raw.replace(/\s+#.*$/, '').trim();
      for (const part of line.split(/\s*&&\s*/)) {
        const words = part.split(/\s+/).filter(Boolean);
        if (words[0] === 'npx' && words[1] === 'backprop') commands.push(words.slice(2));
        if (words[0] === 'npx' && words[1] === 'tsx' && words[2]?.startsWith('scripts/')) commands.push(words.slice(1));
      }
    }
  }
  return commands;
}

const commands = readmeCommands(README);
const work = mkdtempSync(path.join(tmpdir(), 'backprop-readme-'));
// The README's paths are relative to the repository: its data, scripts and test fixtures.
for (const dir of ['data', 'scripts', 'test']) symlinkSync(path.join(ROOT, dir), path.join(work, dir));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const hasFashion = existsSync(path.join(DEBIAN_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'));

describe('README commands', () => {
  it('lists the commands this test runs', () => {
    expect(commands.length).toBeGreaterThanOrEqual(6);
    expect(commands.map((c) => c[0])).toEqual(
      expect.arrayContaining(['train', 'eval', 'predict', 'gradcheck', 'summary']),
    );
  });

  for (const args of commands) {
    const script = args[0] === 'tsx';
    const shown = script ? `npx ${args.join(' ')}` : `backprop ${args.join(' ')}`;
    it(shown, (ctx) => {
      const fashion =
        args.includes('fashion-mnist') || args.some((a) => a.includes('make-image-folder') || a === 'fashion-folder');
      if (fashion && !hasFashion) ctx.skip(`Fashion-MNIST is not installed in ${DEBIAN_FASHION_MNIST_DIR}`);
      if (args[0] === 'data' && args[1] === 'fetch') ctx.skip('downloads need the network');
      // Training as written, but for one epoch (a later --epochs wins).
      const argv = script ? args.slice(1) : args[0] === 'train' ? [CLI, ...args, '--epochs', '1'] : [CLI, ...args];
      const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', TSX, ...argv], {
        cwd: work,
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect(r.status, `${shown}\n${r.stderr}`).toBe(0);
      expect(r.stderr).not.toMatch(/^error:/m);
    }, 300_000);
  }
});
