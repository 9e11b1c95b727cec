// `npm run bench`: Fashion-MNIST training with backprop's backends, PyTorch, TensorFlow.js and
// scikit-learn, each configured as its users configure it, one system after another in child
// processes (so each peak memory is its own), then one table with ratios. Results also in JSON.
// Usage: npm run bench [-- --quick] [--json] [--workloads task,dropout,small,large] [--systems backprop-wasm-2,pytorch,...] [--seeds N]
//        [--dropout-rounds N] [--repeat N]
//        npm run bench -- --from bench/results/train.json   (the table of a saved run)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { flag, median, option, type SystemResult } from './args.js';

const quick = flag('quick');
const cores = os.cpus().length;
// Test accuracy after 5 epochs moves by about a point from one seed to the next: backprop's runs of
// the main task are repeated with seeds 2..N and the table shows their mean.
const seeds = Number(option('seeds', quick ? '1' : '5'));

/** One model and batch size, trained for `epochs` on the first `trainLimit` images. */
interface Workload {
  id: string;
  hidden: number[];
  batch: number;
  dropout: number;
  epochs: number;
  trainLimit: number;
  /** The systems that run it (ids of SYSTEMS). */
  systems: string[];
}

/** How to run one system on a workload: a command line and the environment changes it needs. */
interface System {
  command(w: Workload): [string, string[]];
  env?: Record<string, string | undefined>;
  /** Whether it can run here; else a reason to skip it. */
  available?(): string | null;
  /** ~100× slower: two epochs on a tenth of the data at most (a thirtieth with --quick). */
  slow?: boolean;
}

const node = (script: string, ...args: string[]): [string, string[]] => [
  process.execPath,
  ['--import', 'tsx', script, ...args],
];
// Node 20 has relaxed SIMD (fused multiply-add) behind a flag; the CLI turns it on the same way.
const nodeRelaxed = (script: string, ...args: string[]): [string, string[]] => [
  process.execPath,
  ['--experimental-wasm-relaxed-simd', '--import', 'tsx', script, ...args],
];
const model = (w: Workload): string[] => ['--hidden', w.hidden.join(','), '--batch', String(w.batch)];
/** This workplace pins OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE for old OpenBLAS builds; the Python peers run without them. */
const openblas = (threads: number): Record<string, string | undefined> => ({
  OPENBLAS_NUM_THREADS: String(threads),
  OPENBLAS_CORETYPE: undefined,
  OPENBLAS_L2_SIZE: undefined,
});

/** Every system the benchmark knows; a new backprop backend is one entry here (and one in bench/backends.ts). */
const SYSTEMS: Record<string, System> = {
  // The system's OpenBLAS runs without this machine's pins too; the backend sets its thread count.
  'backprop-blas-2': {
    command: (w) =>
      nodeRelaxed(
        'bench/run-backprop.ts',
        '--backend',
        'blas',
        '--threads',
        '2',
        ...model(w),
        '--dropout',
        String(w.dropout),
      ),
    env: { OPENBLAS_CORETYPE: undefined, OPENBLAS_L2_SIZE: undefined },
  },
  'backprop-wasm-2': {
    command: (w) =>
      nodeRelaxed(
        'bench/run-backprop.ts',
        '--backend',
        'wasm',
        '--threads',
        '2',
        ...model(w),
        '--dropout',
        String(w.dropout),
      ),
  },
  'backprop-wasm-1': {
    command: (w) =>
      nodeRelaxed(
        'bench/run-backprop.ts',
        '--backend',
        'wasm',
        '--threads',
        '1',
        ...model(w),
        '--dropout',
        String(w.dropout),
      ),
  },
  'backprop-js': {
    command: (w) => node('bench/run-backprop.ts', '--backend', 'js', ...model(w), '--dropout', String(w.dropout)),
    slow: true,
  },
  // PyTorch's own threads, and one OpenBLAS thread inside each (more would fight over the cores).
  pytorch: {
    command: (w) => [
      '/usr/bin/python3',
      ['bench/torch_mlp.py', '--threads', String(Math.min(cores, 2)), ...model(w), '--dropout', String(w.dropout)],
    ],
    env: openblas(1),
    available: () => python('torch'),
  },
  // Small products can be faster on one thread than shared between two.
  'pytorch-1': {
    command: (w) => [
      '/usr/bin/python3',
      ['bench/torch_mlp.py', '--threads', '1', ...model(w), '--dropout', String(w.dropout)],
    ],
    env: openblas(1),
    available: () => python('torch'),
  },
  'tfjs-wasm': { command: (w) => node('bench/run-tfjs.ts', '--backend', 'wasm', ...model(w)) },
  'tfjs-cpu': { command: (w) => node('bench/run-tfjs.ts', '--backend', 'cpu', ...model(w)), slow: true },
  // NumPy's BLAS with its default of one thread per core.
  sklearn: {
    command: (w) => ['/usr/bin/python3', ['bench/sklearn_mlp.py', ...model(w)]],
    env: openblas(cores),
    available: () => python('sklearn'),
  },
};

const epochs = quick ? 2 : 5;
const limit = quick ? 12000 : 60000;
const WORKLOADS: Workload[] = [
  {
    id: 'task',
    hidden: [256, 128],
    batch: 128,
    dropout: 0,
    epochs,
    trainLimit: limit,
    systems: [
      'backprop-blas-2',
      'backprop-wasm-2',
      'backprop-wasm-1',
      'backprop-js',
      'pytorch',
      'tfjs-wasm',
      'tfjs-cpu',
      'sklearn',
    ],
  },
  {
    id: 'dropout',
    hidden: [256, 128],
    batch: 128,
    dropout: 0.3,
    epochs,
    trainLimit: limit,
    systems: ['backprop-blas-2', 'backprop-wasm-2', 'backprop-wasm-1', 'pytorch'],
  },
  {
    id: 'small',
    hidden: [32],
    batch: 32,
    dropout: 0,
    epochs: quick ? 2 : 3,
    trainLimit: limit,
    systems: ['backprop-blas-2', 'backprop-wasm-2', 'backprop-wasm-1', 'pytorch', 'pytorch-1'],
  },
  {
    id: 'large',
    hidden: [1024, 1024],
    batch: 256,
    dropout: 0,
    epochs: quick ? 2 : 3,
    trainLimit: quick ? 4000 : 60000,
    systems: ['backprop-blas-2', 'backprop-wasm-2', 'backprop-wasm-1', 'pytorch'],
  },
];

const wantedWorkloads = option('workloads', WORKLOADS.map((w) => w.id).join(',')).split(',');
const wantedSystems = option('systems', Object.keys(SYSTEMS).join(',')).split(',');
for (const id of wantedSystems)
  if (!SYSTEMS[id]) throw new Error(`unknown system '${id}'; expected one of ${Object.keys(SYSTEMS).join(', ')}`);
for (const id of wantedWorkloads)
  if (!WORKLOADS.some((w) => w.id === id))
    throw new Error(`unknown workload '${id}'; expected one of ${WORKLOADS.map((w) => w.id).join(', ')}`);

interface Row extends SystemResult {
  workload: string;
  id: string;
  epochs: number;
  trainImages: number;
}

// --from FILE prints the table of a saved run (bench/results/train.json) instead of running.
const from = option('from', '');
const rows: Row[] = from ? (JSON.parse(readFileSync(from, 'utf8')) as { rows: Row[] }).rows : [];

/** Runs `id` on `w` in a child process (`extra`: more arguments) and returns its result line. */
function runSystem(w: Workload, id: string, epochs: number, limit: number, extra: string[] = []): SystemResult {
  return runJson(w, id, epochs, limit, extra) as SystemResult;
}

/** The last line of the child's output, parsed. */
function runJson(w: Workload, id: string, epochs: number, limit: number, extra: string[]): unknown {
  const system = SYSTEMS[id]!;
  const [cmd, args] = system.command(w);
  const env = { ...process.env };
  for (const [k, v] of Object.entries(system.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const out = execFileSync(
    cmd,
    [...args, '--epochs', String(epochs), '--train-limit', String(limit), '--quiet', ...extra],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24, env },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as unknown;
}

// --repeat N runs every system of a workload N times, round-robin (A B C, A B C, …), and each row is
// the run with the median epoch time: the machine's speed drifts over minutes, and a ratio between
// two rows run once each, minutes apart, moves with it.
const repeat = Number(option('repeat', '1'));
for (const w of from ? [] : WORKLOADS.filter((x) => wantedWorkloads.includes(x.id))) {
  const runs = new Map<string, Row[]>();
  for (let pass = 0; pass < repeat; pass++) {
    for (const id of w.systems.filter((s) => wantedSystems.includes(s))) {
      const system = SYSTEMS[id]!;
      const missing = system.available?.() ?? null;
      if (missing !== null) {
        if (pass === 0) console.error(`skipping ${id}: ${missing}`);
        continue;
      }
      const runEpochs = system.slow ? Math.min(2, w.epochs) : w.epochs;
      const runLimit = system.slow ? Math.min(w.trainLimit, quick ? 2000 : 6000) : w.trainLimit;
      console.error(`running ${id} on ${describe(w)}${repeat > 1 ? ` (${pass + 1} of ${repeat})` : ''} …`);
      const r: Row = {
        ...runSystem(w, id, runEpochs, runLimit),
        workload: w.id,
        id,
        epochs: runEpochs,
        trainImages: runLimit,
      };
      if (system.slow) r.note = `${runEpochs} epochs on ${runLimit.toLocaleString('en-US')} images`;
      if (pass === 0 && w.id === 'task' && id === 'backprop-wasm-2' && seeds > 1) {
        r.seedAccuracies = [r.testAccuracy];
        for (let seed = 2; seed <= seeds; seed++)
          r.seedAccuracies.push(runSystem(w, id, runEpochs, runLimit, ['--seed', String(seed)]).testAccuracy);
      }
      runs.set(id, [...(runs.get(id) ?? []), r]);
    }
  }
  for (const all of runs.values()) {
    const sorted = [...all].sort((x, y) => x.medianEpochSeconds - y.medianEpochSeconds);
    const row = sorted[Math.floor((sorted.length - 1) / 2)]!;
    row.seedAccuracies = all[0]!.seedAccuracies;
    if (all.length > 1) {
      const range = `${sorted[0]!.medianEpochSeconds.toFixed(2)}–${sorted.at(-1)!.medianEpochSeconds.toFixed(2)}`;
      row.note = `${row.note ? `${row.note}; ` : ''}median of ${all.length} runs, s / epoch ${range}`;
    }
    rows.push(row);
  }
}

// What dropout costs: the table's task and dropout rows of a system run minutes apart, and this
// machine's speed drifts by more than the cost over minutes. So each system trains a model without
// dropout and one with it epoch by epoch in turn, in one process (--alternate-dropout), and the cost
// is the median over rounds of the ratio of a round's two epochs (the first round, a warm-up, left out).
const rounds = Number(option('dropout-rounds', quick ? '3' : '7'));
interface DropoutCost {
  system: string;
  ratios: number[];
}
const dropoutCosts: DropoutCost[] = from
  ? ((JSON.parse(readFileSync(from, 'utf8')) as { dropoutCosts?: DropoutCost[] }).dropoutCosts ?? [])
  : [];
const task = WORKLOADS.find((w) => w.id === 'task')!;
const withDropout = WORKLOADS.find((w) => w.id === 'dropout')!;
for (const id of from ? [] : withDropout.systems.filter((s) => wantedSystems.includes(s))) {
  const ran =
    rows.some((r) => r.workload === 'task' && r.id === id) && rows.some((r) => r.workload === 'dropout' && r.id === id);
  if (!ran || SYSTEMS[id]!.slow || rounds < 2) continue;
  console.error(`timing dropout's cost for ${id}: ${rounds} rounds of one epoch with and one without …`);
  const result = runJson(task, id, 1, task.trainLimit, [
    '--alternate-dropout',
    String(withDropout.dropout),
    '--rounds',
    String(rounds),
  ]) as { system: string; plainEpochSeconds: number[]; dropoutEpochSeconds: number[] };
  const ratios = result.dropoutEpochSeconds.map((d, i) => d / result.plainEpochSeconds[i]!).slice(1);
  dropoutCosts.push({ system: result.system, ratios });
}

const fmt = (v: number, d = 2): string => (v >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toFixed(d));
/**
 * r's training speed (samples per second, so that runs on a subset compare too) relative to the
 * fastest run of `peer` (ids starting with it: PyTorch on 2 or 1 threads) on the same workload.
 */
const ratio = (r: Row, peer: string): string => {
  const peers = rows.filter((x) => x.workload === r.workload && x.id.startsWith(peer));
  if (peers.length === 0) return '—';
  const best = Math.max(...peers.map((p) => p.trainSamplesPerSecond));
  return `${(r.trainSamplesPerSecond / best).toFixed(2)}×`;
};
const table = [
  '| workload | system | s / epoch | train samples/s | speed vs PyTorch | speed vs tfjs-wasm | test accuracy | inference samples/s | peak RSS MB |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => {
    const w = WORKLOADS.find((x) => x.id === r.workload)!;
    return `| ${describe(w)} | ${r.system}${r.note ? ` (${r.note})` : ''} | ${fmt(r.medianEpochSeconds)} | ${fmt(r.trainSamplesPerSecond)} | ${ratio(r, 'pytorch')} | ${ratio(r, 'tfjs-wasm')} | ${accuracyCell(r)} | ${fmt(r.inferenceSamplesPerSecond)} | ${Math.round(r.peakRssMB)} |`;
  }),
];
const dropoutCost = dropoutCosts.map(({ system, ratios }) => {
  const range = `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
  return `${system}: an epoch with dropout 0.3 takes ${median(ratios).toFixed(2)}× one without (median of ${ratios.length} rounds of one epoch each, in turn; ${range})`;
});
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const header = [
  `Fashion-MNIST, ReLU MLPs, softmax + cross-entropy, Adam 1e-3, shuffled batches; s / epoch is the median of epochs 2..N.`,
  `Machine: ${cpu}, ${cores} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB; Node ${process.version}.`,
  `Speed ratios are the row's training samples/s over the peer's (above 1: faster than the peer) on the same workload; against PyTorch, its faster thread setting.`,
].join('\n');
if (flag('json')) console.log(JSON.stringify({ header, rows, dropoutCosts }, null, 2));
else console.log(`${header}\n\n${table.join('\n')}${dropoutCost.length ? `\n\n${dropoutCost.join('\n')}` : ''}`);
if (!from) {
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/train.json', JSON.stringify({ header, rows, dropoutCosts }, null, 2));
}

function describe(w: Workload): string {
  return `784-${w.hidden.join('-')}-10, batch ${w.batch}${w.dropout ? `, dropout ${w.dropout}` : ''}, ${w.epochs} epochs on ${w.trainLimit.toLocaleString('en-US')} images`;
}

/** The run's accuracy, or with several seeds their mean and range. */
function accuracyCell(r: Row): string {
  const all = r.seedAccuracies;
  if (!all || all.length < 2) return r.testAccuracy.toFixed(3);
  const mean = all.reduce((a, b) => a + b, 0) / all.length;
  return `${mean.toFixed(3)} (mean of seeds 1–${all.length}: ${Math.min(...all).toFixed(3)}–${Math.max(...all).toFixed(3)})`;
}

/** null when /usr/bin/python3 imports `module`, else why not. */
function python(module: string): string | null {
  if (!existsSync('/usr/bin/python3')) return '/usr/bin/python3 is not installed';
  try {
    execFileSync('/usr/bin/python3', ['-c', `import ${module}`], { stdio: 'ignore' });
    return null;
  } catch {
    return `/usr/bin/python3 cannot import ${module} (Debian: apt-get install python3-${module === 'sklearn' ? 'sklearn' : module})`;
  }
}
