// --backend wasm, when this build has the wasm backend: the same saved model predicts the same
// probabilities on both backends, and training through the CLI reaches the same accuracy.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliJson, DATA, scratch } from './helpers.js';

const WASM = join(import.meta.dirname, '..', '..', 'src', 'backend', 'wasm');
const available = existsSync(join(WASM, 'index.ts')) || existsSync(join(WASM, 'wasm-backend.ts'));

describe.skipIf(!available)('--backend wasm', () => {
  it('trains digits to ≥ 95% and predicts like the js backend on the same model', async () => {
    const dir = scratch();
    const model = join(dir, 'm');
    const r = await cliJson(
      'train',
      '--data',
      join(DATA, 'digits.csv'),
      '--target',
      'digit',
      '--standardize',
      '--test-split',
      '0.2',
      '--seed',
      '1',
      '--epochs',
      '20',
      '--backend',
      'wasm',
      '--out',
      model,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.json.backend).toBe('wasm');
    expect((r.json.test as { accuracy: number }).accuracy).toBeGreaterThanOrEqual(0.95);
    const js = await cli('predict', '--model', model, '--data', join(DATA, 'digits.csv'), '--backend', 'js');
    const wasm = await cli('predict', '--model', model, '--data', join(DATA, 'digits.csv'), '--backend', 'wasm');
    expect(wasm.code, wasm.err).toBe(0);
    const rows = (text: string): number[][] =>
      text
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',').map(Number));
    const a = rows(js.out),
      b = rows(wasm.out);
    expect(b).toHaveLength(1797);
    let maxDiff = 0;
    a.forEach((row, i) => row.slice(1).forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(v - b[i]![k + 1]!)))));
    expect(maxDiff).toBeLessThan(1e-4);
    const ev = await cliJson('eval', '--model', model, '--data', join(DATA, 'digits.csv'), '--backend', 'wasm');
    expect(ev.json.backend).toBe('wasm');
  }, 60_000);
});
