// Runs the real program in a subprocess: exit codes, stderr of errors, stdout of --json and --help.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBlas } from '../../src/node.js';
import { DATA, scratch } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** The backend --backend auto should pick: blas where a BLAS library loads through koffi, else wasm. */
const autoBackend = await loadBlas().then(
  () => 'blas',
  () => 'wasm',
);

/** The source entry through tsx (dist may be stale while the library is being edited). */
function backprop(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const entry = join(ROOT, 'src', 'cli', 'main.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the backprop binary', () => {
  it('--help lists the commands and exits 0', () => {
    const r = backprop('--help');
    expect(r.status).toBe(0);
    for (const cmd of ['train', 'eval', 'predict', 'gradcheck', 'summary', 'data', 'report', 'plot'])
      expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    expect(r.stderr).toBe('');
  });

  it('our errors are one line on stderr with exit 1 and no stack trace', () => {
    const r = backprop('train', '--data', 'does-not-exist.csv', '--out', join(scratch(), 'm'));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("error: cannot read data file 'does-not-exist.csv': ENOENT\n");
    expect(r.stdout).toBe('');
  });

  it('usage errors from commander exit non-zero', () => {
    const r = backprop('train', '--out', 'x');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error: required option '--data <file>' not specified/);
  });

  it('train --json prints one JSON object and a model that summary reads', () => {
    const dir = scratch();
    const r = backprop(
      'train',
      '--data',
      join(DATA, 'iris.csv'),
      '--target',
      'species',
      '--layers',
      '8',
      '--epochs',
      '3',
      '--standardize',
      '--out',
      join(dir, 'm'),
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { history: unknown[]; backend: string; train: { accuracy: number } };
    expect(json.history).toHaveLength(3);
    expect(json.backend).toBe(autoBackend); // auto: the first of blas, wasm, js that loads
    expect(json.train.accuracy).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/^epoch 3\/3 /m);
    expect(existsSync(join(dir, 'm', 'weights.safetensors'))).toBe(true);
    const s = backprop('summary', '--model', join(dir, 'm'), '--json');
    expect(s.status).toBe(0);
    expect((JSON.parse(s.stdout) as { totalParameters: number }).totalParameters).toBe(4 * 8 + 8 + 8 * 3 + 3);
  });
});
