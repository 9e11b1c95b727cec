// Finds a Python interpreter with PyTorch (Debian's python3-torch) and runs Python programs for the
// PyTorch export tests; tests skip when there is none.
import { execFile, spawnSync } from 'node:child_process';

/** Interpreters tried in order: Debian's, then whatever `python3` is on the PATH. */
const CANDIDATES = ['/usr/bin/python3', 'python3'];

let found: string | null | undefined;

/** The first interpreter that imports torch, or null. */
export function torchPython(): string | null {
  if (found === undefined) {
    found =
      CANDIDATES.find(
        (py) => spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore', timeout: 180_000 }).status === 0,
      ) ?? null;
  }
  return found;
}

export const NO_TORCH = 'needs python3 with PyTorch (Debian: apt-get install python3-torch)';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion (without a shell), capturing its output; never rejects on a non-zero exit. */
export function run(file: string, args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, timeout: options.timeoutMs ?? 240_000, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr: stderr + (error && code === -1 ? `\n${error.message}` : '') });
      },
    );
  });
}

/**
 * torchrun with `nproc` processes on this machine, as the interpreter's module (the torchrun command
 * is this module's entry point). Debian's torchrun 1.13 on Python 3.11 crashes parsing its own
 * default `--redirects 0`, hence `--redirects 2 --tee 2`.
 */
export function torchrun(py: string, nproc: number, script: string, args: string[]): Promise<Run> {
  return run(py, [
    '-m',
    'torch.distributed.run',
    '--standalone',
    '--nproc_per_node',
    String(nproc),
    '--redirects',
    '2',
    '--tee',
    '2',
    script,
    ...args,
  ]);
}
