// Every script in examples/ runs (with few epochs) and prints what it promises, so none of them rots.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEBIAN_FASHION_MNIST_DIR } from '../src/data/image-datasets.js';
import { torchPython } from './io/pytorch-helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'backprop-examples-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs an example through tsx, which maps the `backprop` imports to src/ (tsconfig.json paths). */
function runTs(file: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'examples', file), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('examples', () => {
  it('xor.ts learns XOR with the hand-written loop', () => {
    const r = runTs('xor.ts', ['2000']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/step 2000: loss 0\.0\d+/);
    expect(r.stdout).toMatch(/XOR learned/);
  });

  it('regression.ts stops early and reports validation metrics', () => {
    const r = runTs('regression.ts', ['300']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/early stopping: val_loss did not improve/);
    const r2 = Number(/r2 (-?[\d.]+)/.exec(r.stdout)?.[1]);
    expect(r2).toBeGreaterThan(0.8);
  });

  it('export.ts writes ONNX, tfjs and PyTorch files that predict what the model predicts', () => {
    const out = mkdtempSync(path.join(work, 'export-'));
    const r = runTs('export.ts', ['30', out]);
    expect(r.status, r.stderr).toBe(0);
    for (const file of [
      'iris.onnx',
      'iris-tfjs/model.json',
      'iris-tfjs/weights.bin',
      'iris-pytorch/model.py',
      'iris-pytorch/weights.safetensors',
    ])
      expect(existsSync(path.join(out, file)), file).toBe(true);
    const difference = (what: string): number =>
      Number(new RegExp(`^${what}: 150 examples, largest difference (\\S+)$`, 'm').exec(r.stdout)?.[1]);
    // Read back into backprop, the weights are the same float32 numbers: the same predictions exactly.
    expect(difference('ONNX read back into backprop')).toBe(0);
    expect(difference('tfjs read back into backprop')).toBe(0);
    // ONNX Runtime sums in another order: float32 rounding of probabilities in [0, 1].
    const runtime = difference('ONNX Runtime \\(onnxruntime-web\\)');
    expect(runtime).toBeGreaterThanOrEqual(0);
    expect(runtime).toBeLessThan(1e-5);
    // PyTorch runs model.py where a python3 has torch; the example says so when none has.
    if (torchPython() === null) expect(r.stdout).toMatch(/^PyTorch \(model\.py\): no python3 with torch/m);
    else {
      const torch = difference('PyTorch \\(model\\.py\\)');
      expect(torch).toBeGreaterThanOrEqual(0);
      expect(torch).toBeLessThan(1e-5);
    }
  });

  it('checkpoint-resume.ts stops a run, resumes it and gets the uninterrupted weights', () => {
    const out = mkdtempSync(path.join(work, 'checkpoint-'));
    const r = runTs('checkpoint-resume.ts', ['12', '7', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^first run: stopped after epoch 7 of 12 \(interrupted\), checkpoint of epoch 7$/m);
    expect(r.stdout).toMatch(/^resumed run: epochs 12 of 12, /m);
    expect(Number(/^history: 12 epochs, largest loss difference (\S+)$/m.exec(r.stdout)?.[1])).toBe(0);
    expect(r.stdout).toMatch(/^weights\.safetensors: identical \(\d+ bytes\) to the uninterrupted run's$/m);
    expect(existsSync(path.join(out, 'checkpoint', 'checkpoint.json'))).toBe(true);
  });

  it('digits-cli.sh trains, summarises, evaluates and predicts', (ctx) => {
    if (!existsSync(path.join(ROOT, 'dist/cli/main.js'))) ctx.skip('dist/ is not built (npm run build)');
    const model = path.join(work, 'digits');
    const r = spawnSync('bash', [path.join(ROOT, 'examples/digits-cli.sh'), '5', model], {
      cwd: work,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/total parameters: 6570/);
    expect(Number(/accuracy (0\.\d+)/.exec(r.stdout)?.[1])).toBeGreaterThan(0.85);
    expect(r.stdout).toMatch(/^digit,prob_0,/m);
    expect(existsSync(path.join(work, 'digits-predictions.csv'))).toBe(true);
  });

  it('fashion-mnist.ts trains on the images in the WASM backend', (ctx) => {
    if (!existsSync(path.join(DEBIAN_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz')))
      ctx.skip(`Fashion-MNIST is not installed in ${DEBIAN_FASHION_MNIST_DIR} (apt-get install dataset-fashion-mnist)`);
    const r = runTs('fashion-mnist.ts', ['1', '6000']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^epoch 1: loss /m);
    expect(Number(/test accuracy (0\.\d+) on 10000 images/.exec(r.stdout)?.[1])).toBeGreaterThan(0.7);
  });
});
