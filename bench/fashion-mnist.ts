// Reproduces the README's Fashion-MNIST result: `backprop train --data fashion-mnist` with its
// defaults (784-512-256-10 ReLU, dropout 0.3, Adam 1e-3 with a cosine schedule, batch 128, 40 epochs,
// seed 1), then prints test accuracy, wall time, median epoch time and peak memory.
// Usage: npx tsx bench/fashion-mnist.ts [--epochs N] [--report DIR]   (needs dataset-fashion-mnist)
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median, option } from './args.js';

const out = mkdtempSync(path.join(tmpdir(), 'backprop-fashion-'));
const report = option('report', path.join(out, 'report'));
const args = [
  '--import',
  'tsx',
  'src/cli/main.ts',
  'train',
  '--data',
  'fashion-mnist',
  '--seed',
  '1',
  '--out',
  path.join(out, 'model'),
  '--report',
  report,
  '--json',
  '--quiet',
];
const epochs = option('epochs', '');
if (epochs) args.push('--epochs', epochs);
const started = performance.now();
const run = spawnSync(process.execPath, args, {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
  maxBuffer: 1 << 26,
});
const wall = (performance.now() - started) / 1000;
if (run.status !== 0) throw new Error(`backprop train exited with ${run.status}`);
const r = JSON.parse(run.stdout) as {
  test: { accuracy: number; loss: number };
  history: { seconds: number }[];
  backend: string;
  peakRssMB: number;
};
console.log(`command: backprop train --data fashion-mnist --seed 1${epochs ? ` --epochs ${epochs}` : ''}`);
console.log(
  `backend ${r.backend}: test accuracy ${(100 * r.test.accuracy).toFixed(2)}%, test loss ${r.test.loss.toFixed(4)}`,
);
console.log(
  `wall time ${wall.toFixed(0)} s (${r.history.length} epochs, median ${median(r.history.map((h) => h.seconds)).toFixed(2)} s per epoch), peak memory ${r.peakRssMB} MB`,
);
console.log(`report: ${report}/report.html`);
