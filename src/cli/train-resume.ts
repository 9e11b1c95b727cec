// The parts of `train` that deal with interruption: Ctrl-C as an abort signal, and finding and
// checking the checkpoint that `--resume DIR` continues.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CHECKPOINT_FILE, CHECKPOINT_SUBDIR, ConfigError } from '../node.js';

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/**
 * Runs `body` with Ctrl-C turned into an abort of its signal (training stops at the next batch and
 * checkpoints); a second Ctrl-C ends the process at once.
 */
export async function withInterrupt<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await body(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** `--resume DIR`: DIR is the interrupted run's --out (holding checkpoint/) or the checkpoint directory itself. */
export async function checkpointDirOf(dir: string): Promise<string> {
  const inside = path.join(dir, CHECKPOINT_SUBDIR);
  const exists = await fs.stat(path.join(inside, CHECKPOINT_FILE)).then(
    () => true,
    () => false,
  );
  return exists ? inside : dir;
}

/** The backend the checkpointed run used, read before loading the model into it. */
export async function readCheckpointConfig(dir: string): Promise<{ backend: string }> {
  const text = await fs.readFile(path.join(dir, CHECKPOINT_FILE), 'utf8').catch(() => {
    throw new ConfigError(
      `--resume: '${dir}' holds no checkpoint (no ${CHECKPOINT_SUBDIR}/${CHECKPOINT_FILE}); checkpoints are written by train --checkpoint-every N or Ctrl-C`,
    );
  });
  let config: unknown;
  try {
    config = (JSON.parse(text) as { config?: unknown }).config;
  } catch {
    config = null;
  }
  const backend = (config as { backend?: unknown } | null)?.backend;
  if (typeof config !== 'object' || config === null || typeof backend !== 'string') {
    throw new ConfigError(
      `--resume: ${path.join(dir, CHECKPOINT_FILE)} has no command-line configuration (a library checkpoint: continue it with resumeTraining)`,
    );
  }
  return { backend };
}

/** With --resume the checkpoint holds the configuration; only these flags may be given too. */
const RESUME_FLAGS = new Set(['resume', 'report', 'json', 'quiet']);

/** Rejects flags given with --resume other than --report, --json and --quiet (option keys as commander names them). */
export function checkResumeFlags(given: string[]): void {
  const extra = given.filter((k) => !RESUME_FLAGS.has(k));
  if (extra.length > 0) {
    throw new ConfigError(
      `--resume continues the run as its checkpoint records it; ${extra.map(flagName).join(', ')} cannot be given with it (only --report, --json, --quiet)`,
    );
  }
}

function flagName(key: string): string {
  return '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}
