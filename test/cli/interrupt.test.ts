// A real `backprop train` process killed (SIGKILL) or interrupted (SIGINT) mid-run, then
// `train --resume`: the final weights.safetensors has the same bytes as an uninterrupted run.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, DATA, scratch } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

interface Child {
  process: ChildProcess;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The source entry through tsx, as test/cli/binary.test.ts runs it. */
function start(args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => void (err += d.toString()));
  child.stdout!.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { process: child, stderr: () => err, exit };
}

/** Polls until `ready()` holds, failing when the child exits first. */
async function waitFor(child: Child, ready: () => boolean, what: string): Promise<void> {
  let exited = false;
  void child.exit.then(() => void (exited = true));
  while (!ready()) {
    if (exited) throw new Error(`the training process ended before ${what}:\n${child.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function checkpointEpoch(out: string): number {
  try {
    return (JSON.parse(readFileSync(join(out, 'checkpoint', 'checkpoint.json'), 'utf8')) as { epoch: number }).epoch;
  } catch {
    return -1; // not written yet
  }
}

const weights = (dir: string): Buffer => readFileSync(join(dir, 'weights.safetensors'));

/** Digits with dropout, a validation split and a cosine schedule; small batches so that epochs take a while. */
const digits = (backend: string, epochs: number): string[] => [
  'train',
  '--data',
  join(DATA, 'digits.csv'),
  '--target',
  'digit',
  '--standardize',
  '--layers',
  '128,64',
  '--dropout',
  '0.2',
  '--validation-split',
  '0.2',
  '--schedule',
  'cosine',
  '--batch-size',
  '16',
  '--epochs',
  String(epochs),
  '--seed',
  '3',
  '--backend',
  backend,
];

describe.each(['js', 'wasm'])('digits on %s', (backend) => {
  const EPOCHS = 30;

  it('SIGKILL after a checkpoint, then --resume: the same weight bytes as an uninterrupted run', async () => {
    const dir = scratch();
    const whole = join(dir, 'whole');
    const w = await cli(...digits(backend, EPOCHS), '--out', whole, '--quiet');
    expect(w.code, w.err).toBe(0);

    const out = join(dir, 'killed');
    const child = start([...digits(backend, EPOCHS), '--checkpoint-every', '2', '--out', out, '--quiet']);
    await waitFor(child, () => checkpointEpoch(out) >= 4, 'its checkpoint of epoch 4');
    child.process.kill('SIGKILL');
    expect((await child.exit).signal).toBe('SIGKILL');
    const at = checkpointEpoch(out);
    expect(at).toBeLessThan(EPOCHS);
    expect(existsSync(join(out, 'weights.safetensors'))).toBe(false);

    const r = await cli('train', '--resume', out);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(new RegExp(`^resuming .*digits\\.csv from epoch ${at} of ${EPOCHS}`, 'm'));
    expect(weights(out).equals(weights(whole))).toBe(true);
    const history = (JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { training: { history: unknown[] } })
      .training.history;
    expect(history).toHaveLength(EPOCHS);
    expect(existsSync(join(out, 'checkpoint'))).toBe(false); // the finished model replaces the run's directory
  }, 240_000);
});

describe('Ctrl-C', () => {
  it('SIGINT checkpoints the last completed epoch, says how to resume, exits 130; --resume completes it exactly', async () => {
    const dir = scratch();
    const whole = join(dir, 'whole');
    expect((await cli(...digits('wasm', 30), '--out', whole, '--quiet')).code).toBe(0);

    const out = join(dir, 'interrupted');
    const child = start([...digits('wasm', 30), '--out', out]); // no --checkpoint-every: Ctrl-C alone writes one
    await waitFor(child, () => /^epoch 3\/30 /m.test(child.stderr()), 'epoch 3');
    child.process.kill('SIGINT');
    const { code } = await child.exit;
    expect(code, child.stderr()).toBe(130);
    const m =
      /^interrupted at epoch (\d+) \(checkpoint of epoch (\d+) in (.*)\); resume with: backprop train --resume (.*)$/m.exec(
        child.stderr(),
      );
    expect(m, child.stderr()).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThanOrEqual(3);
    expect(Number(m![1])).toBe(Number(m![2]) + 1);
    expect(m![3]).toBe(join(out, 'checkpoint'));
    expect(m![4]).toBe(out);
    expect(checkpointEpoch(out)).toBe(Number(m![2]));

    const r = await cli('train', '--resume', out, '--quiet');
    expect(r.code, r.err).toBe(0);
    expect(weights(out).equals(weights(whole))).toBe(true);
  }, 240_000);
});

describe('Fashion-MNIST with its defaults (dropout 0.3, validation split 0.1, cosine schedule)', () => {
  it('SIGKILL inside epoch 3, --resume: the same bytes as 3 uninterrupted epochs', async (ctx) => {
    if (!existsSync(join(FASHION_DIR, 'train-images-idx3-ubyte.gz')))
      ctx.skip(`Fashion-MNIST is not installed in ${FASHION_DIR}`);
    // Narrow layers keep an epoch short; every other image default stays.
    const args = [
      'train',
      '--data',
      'fashion-mnist',
      '--data-dir',
      FASHION_DIR,
      '--layers',
      '64',
      '--epochs',
      '3',
      '--seed',
      '2',
      '--backend',
      'wasm',
    ];
    const dir = scratch();
    const whole = join(dir, 'whole');
    const w = await cli(...args, '--out', whole, '--quiet');
    expect(w.code, w.err).toBe(0);

    const out = join(dir, 'killed');
    const child = start([...args, '--checkpoint-every', '1', '--out', out, '--quiet']);
    await waitFor(child, () => checkpointEpoch(out) >= 2, 'its checkpoint of epoch 2');
    child.process.kill('SIGKILL');
    expect((await child.exit).signal).toBe('SIGKILL');
    expect(checkpointEpoch(out)).toBe(2);

    const r = await cli('train', '--resume', out, '--quiet');
    expect(r.code, r.err).toBe(0);
    expect(weights(out).equals(weights(whole))).toBe(true);
  }, 300_000);
});
