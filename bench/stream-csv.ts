// One epoch of a 32-unit regression on a streamed CSV of 20 features + 1 target (21 columns), at
// 0.4 M and 4 M rows (~70 and ~700 MB), through the CLI (first pass, the epoch, the final
// evaluation): wall and CPU seconds, rows per second and peak RSS, which should stay bounded while
// the time per row stays flat.
// Usage: npm run build && npx tsx bench/stream-csv.ts [--rows 400000,4000000] [--keep]
// (without a build it runs the CLI from the sources through tsx, whose loader adds memory).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Rng } from '../src/index.js';
import { flag, option } from './args.js';

const FEATURES = 20;
const root = path.join(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'backprop-stream-'));
const sizes = option('rows', '400000,4000000').split(',').map(Number);

/** y = w·x + 0.1·noise with fixed weights, x ~ N(0, 1); written in blocks, never held whole. */
function generate(file: string, rows: number): void {
  const rng = new Rng(rows);
  const w = Array.from({ length: FEATURES }, (_, j) => ((j % 5) - 2) / 2);
  const fd = openSync(file, 'w');
  writeSync(fd, [...Array.from({ length: FEATURES }, (_, j) => `x${j}`), 'y'].join(',') + '\n');
  const block: string[] = [];
  for (let r = 0; r < rows; r++) {
    let y = 0;
    const cells = new Array<string>(FEATURES + 1);
    for (let j = 0; j < FEATURES; j++) {
      const v = rng.normal();
      y += w[j]! * v;
      cells[j] = v.toFixed(5);
    }
    cells[FEATURES] = (y + 0.1 * rng.normal()).toFixed(5);
    block.push(cells.join(','));
    if (block.length === 10_000 || r === rows - 1) {
      writeSync(fd, block.join('\n') + '\n');
      block.length = 0;
    }
  }
  closeSync(fd);
}

const built = existsSync(path.join(root, 'dist', 'cli', 'main.js'));
const cli = built
  ? [path.join(root, 'dist', 'cli', 'main.js')]
  : ['--import', 'tsx', path.join(root, 'src', 'cli', 'main.ts')];
console.log(`CLI: ${built ? 'dist/cli/main.js' : 'src/cli/main.ts through tsx'}; node ${process.version}`);
// Wall time depends on what else the machine runs; the CPU time (user + system) of the CLI does less.
console.log(
  '| rows | file MB | wall s | rows/s (wall) | CPU s | CPU µs / row | epoch s (wall) | peak RSS MB | final loss |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const rows of sizes) {
  const file = path.join(dir, `rows-${rows}.csv`);
  generate(file, rows);
  const mb = statSync(file).size / 2 ** 20;
  const args = [
    '-v',
    process.execPath,
    ...cli,
    'train',
    '--data',
    file,
    '--stream',
    '--task',
    'regression',
    '--layers',
    '32',
    '--epochs',
    '1',
    '--batch-size',
    '32',
    '--lr',
    '0.001',
    '--seed',
    '1',
    '--out',
    path.join(dir, 'model'),
    '--overwrite',
    '--json',
    '--quiet',
  ];
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', args, { encoding: 'utf8', maxBuffer: 2 ** 26 });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`the CLI failed (${run.status}): ${run.stderr}`);
  const field = (name: string): number => Number(new RegExp(`${name}: ([\\d.]+)`).exec(run.stderr)?.[1] ?? NaN);
  const peak = field('Maximum resident set size \\(kbytes\\)') / 1024;
  const cpu = field('User time \\(seconds\\)') + field('System time \\(seconds\\)');
  const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as { history: { loss: number; seconds: number }[] };
  const epoch = result.history[0]!;
  console.log(
    `| ${rows.toLocaleString('en-US')} | ${mb.toFixed(0)} | ${seconds.toFixed(1)} | ${Math.round(rows / seconds).toLocaleString('en-US')} | ${cpu.toFixed(1)} | ${((cpu * 1e6) / rows).toFixed(1)} | ${epoch.seconds.toFixed(1)} | ${peak.toFixed(0)} | ${epoch.loss.toFixed(4)} |`,
  );
  if (!flag('keep')) rmSync(file);
}
rmSync(dir, { recursive: true, force: true });
