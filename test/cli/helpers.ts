// Runs the CLI in process with captured streams, and makes scratch directories and CSV files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function cli(...argv: string[]): Promise<CliResult> {
  const io = captureIo();
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** `cli` with `--json` appended, parsing stdout as exactly one JSON object. */
export async function cliJson(...argv: string[]): Promise<CliResult & { json: Record<string, unknown> }> {
  const r = await cli(...argv, '--json');
  return { ...r, json: JSON.parse(r.out) as Record<string, unknown> };
}

export function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'backprop-cli-'));
}

export function csvFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export const DATA = join(import.meta.dirname, '..', '..', 'data');
