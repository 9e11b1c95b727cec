// `npm run bench`: the benchmark task (issue 3) with backprop's backends, TensorFlow.js (cpu, wasm)
// and, where Debian's python3-torch is installed, PyTorch — one system after another in child
// processes (so each peak memory is its own), then a table with ratios. Results also in JSON.
// Usage: npm run bench [-- --quick] [--json] [--epochs N] [--seeds N] [--systems backprop-wasm,tfjs-wasm,...]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { flag, option, type SystemResult } from './args.js';

const quick = flag('quick');
const epochs = option('epochs', quick ? '2' : '5');
const limit = option('train-limit', quick ? '12000' : '60000');
const all = ['backprop-blas-2', 'backprop-wasm-2', 'backprop-wasm-1', 'backprop-js', 'tfjs-wasm', 'tfjs-cpu', 'pytorch'];
const defaults = quick ? ['backprop-blas-2', 'backprop-wasm-2', 'backprop-wasm-1', 'tfjs-wasm', 'pytorch'] : all;
const systems = option('systems', defaults.join(',')).split(',');
// Test accuracy after 5 epochs moves by about a point from one seed to the next: backprop's (cheap)
// runs are repeated with seeds 2..N and the table shows their mean next to the seed-1 run's figures.
const seeds = Number(option('seeds', quick ? '1' : '5'));

const tsx = ['--import', 'tsx'];
// Node 20 has relaxed SIMD (fused multiply-add) behind a flag; the CLI turns it on the same way.
const relaxed = '--experimental-wasm-relaxed-simd';
const commands: Record<string, [string, string[]]> = {
  'backprop-blas-2': [process.execPath, [relaxed, ...tsx, 'bench/run-backprop.ts', '--backend', 'blas', '--threads', '2']],
  'backprop-wasm-2': [process.execPath, [relaxed, ...tsx, 'bench/run-backprop.ts', '--backend', 'wasm', '--threads', '2']],
  'backprop-wasm-1': [process.execPath, [relaxed, ...tsx, 'bench/run-backprop.ts', '--backend', 'wasm', '--threads', '1']],
  'backprop-js': [process.execPath, [...tsx, 'bench/run-backprop.ts', '--backend', 'js']],
  'tfjs-wasm': [process.execPath, [...tsx, 'bench/run-tfjs.ts', '--backend', 'wasm']],
  'tfjs-cpu': [process.execPath, [...tsx, 'bench/run-tfjs.ts', '--backend', 'cpu']],
  pytorch: ['/usr/bin/python3', ['bench/torch_mlp.py', '--threads', '2']],
};

const results: SystemResult[] = [];
for (const name of systems) {
  const entry = commands[name];
  if (!entry) throw new Error(`unknown system '${name}'; expected one of ${all.join(', ')}`);
  const [cmd, args] = entry;
  if (name === 'pytorch' && !pythonHasTorch()) {
    console.error(`skipping PyTorch: /usr/bin/python3 with torch is not installed (apt-get install python3-torch)`);
    continue;
  }
  // The JS reference backend and tfjs-cpu are ~100× slower: give them one epoch on a tenth of the data.
  const slow = name === 'backprop-js' || name === 'tfjs-cpu';
  const runArgs = [...args, '--epochs', slow ? '2' : epochs, '--train-limit', slow ? String(Math.min(Number(limit), 6000)) : limit, '--quiet'];
  console.error(`running ${name} …`);
  // This workplace pins OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE for old OpenBLAS builds; they slow a
  // current one down, so PyTorch and backprop's blas backend run without them (this command only).
  const env = { ...process.env };
  if (name === 'pytorch' || name === 'backprop-blas-2') {
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
  }
  const out = execFileSync(cmd, runArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24, env });
  const r = JSON.parse(out.trim().split('\n').at(-1)!) as SystemResult;
  if (slow) r.note = 'subset: 2 epochs on 6 000 images';
  if (name === 'backprop-wasm-2' && seeds > 1) {
    r.seedAccuracies = [r.testAccuracy];
    for (let seed = 2; seed <= seeds; seed++) {
      const again = execFileSync(cmd, [...runArgs, '--seed', String(seed)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24, env });
      r.seedAccuracies.push((JSON.parse(again.trim().split('\n').at(-1)!) as SystemResult).testAccuracy);
    }
  }
  results.push(r);
}

const tfWasm = results.find((r) => r.system.startsWith('tfjs') && r.system.includes('wasm'));
const torch = results.find((r) => r.system.startsWith('PyTorch'));
const fmt = (v: number, d = 2): string => (v >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toFixed(d));
const lines = [
  `| system | s / epoch | train samples/s | test acc @${epochs} epochs | inference samples/s | peak RSS MB | epoch speed-up vs tfjs-wasm | vs PyTorch |`,
  '|---|---|---|---|---|---|---|---|',
  ...results.map((r) => `| ${r.system}${r.note ? ` (${r.note})` : ''} | ${fmt(r.medianEpochSeconds)} | ${fmt(r.trainSamplesPerSecond)} | ${accuracyCell(r)} | ${fmt(r.inferenceSamplesPerSecond)} | ${Math.round(r.peakRssMB)} | ${tfWasm ? (r.trainSamplesPerSecond / tfWasm.trainSamplesPerSecond).toFixed(2) + '×' : '—'} | ${torch ? (r.trainSamplesPerSecond / torch.trainSamplesPerSecond).toFixed(2) + '×' : '—'} |`),
];
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const header = `Fashion-MNIST, 784-256-128-10 ReLU, Adam 1e-3, batch 128, ${limit} training images; ${cpu}, ${os.cpus().length} cores, Node ${process.version}`;
if (tfWasm) {
  for (const r of results.filter((x) => x.system.startsWith('backprop'))) {
    const accuracy = r.seedAccuracies && r.seedAccuracies.length > 1 ? r.seedAccuracies.reduce((a, b) => a + b, 0) / r.seedAccuracies.length : r.testAccuracy;
    lines.push('', `${r.system}: inference ${(r.inferenceSamplesPerSecond / tfWasm.inferenceSamplesPerSecond).toFixed(1)}× tfjs-wasm; accuracy ${(100 * (accuracy - tfWasm.testAccuracy)).toFixed(1)} points vs tfjs-wasm${accuracy === r.testAccuracy ? '' : ' (seed mean)'}`);
  }
}
if (flag('json')) console.log(JSON.stringify({ header, epochs: Number(epochs), trainImages: Number(limit), results }, null, 2));
else console.log(`${header}\n\n${lines.join('\n')}`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/train.json', JSON.stringify({ header, results }, null, 2));

/** The run's accuracy, or with several seeds their mean and range. */
function accuracyCell(r: SystemResult): string {
  const all = r.seedAccuracies;
  if (!all || all.length < 2) return r.testAccuracy.toFixed(3);
  const mean = all.reduce((a, b) => a + b, 0) / all.length;
  return `${mean.toFixed(3)} (mean of seeds 1–${all.length}: ${Math.min(...all).toFixed(3)}–${Math.max(...all).toFixed(3)})`;
}

function pythonHasTorch(): boolean {
  if (!existsSync('/usr/bin/python3')) return false;
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
